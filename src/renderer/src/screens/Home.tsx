import { useState } from 'react';
import type { CloudNumberView, NumberState } from '../../../shared/contract';
import { FormError } from '../components/Field';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Layout';
import { formatPhone, formatTime, greeting, STATUS_VIEW } from '../format';
import { useApp, useNow, useWorkspace } from '../state/app-context';
import { BackupHomeLine } from './Backups';
import { CloudConnectForm, CloudSpendLine } from './CloudConnect';
import { AddNumber } from './home/AddNumber';
import { NumberCard } from './home/NumberCard';
import { useHomeData } from './home/use-home-data';
import { ActivityChart, TodayStats, useHomeStats } from './HomeStats';
import { LearnedThisWeek } from './LearnedThisWeek';

/** Which form is open under "WhatsApp numbers": link by QR, connect an official number, or a new token. */
type Adding = false | 'qr' | 'cloud' | { token: CloudNumberView };

/** The line under the greeting: how many numbers are connected. */
function numbersSubtitle(numbers: NumberState[] | null, connected: number): string {
  if (numbers === null) return 'Checking your WhatsApp…';
  if (numbers.length === 0) return 'Add your WhatsApp number to start answering customers.';
  if (connected === numbers.length) return 'All your numbers are connected. Customers can reach you.';
  return `${connected} of ${numbers.length} number${numbers.length === 1 ? '' : 's'} connected.`;
}

/** Each number's state at a glance, what needs the owner, and customers writing in right now. */
export function Home() {
  const workspace = useWorkspace();
  const data = useHomeData();
  const { numbers, faqCount } = data;
  const [adding, setAdding] = useState<Adding>(false);
  const homeStats = useHomeStats();
  const connected = numbers?.filter((n) => n.status === 'connected').length ?? 0;
  const problems = numbers?.filter((n) => STATUS_VIEW[n.status].tone === 'problem') ?? [];

  return (
    <>
      <PageHeader
        title={`${greeting()}, ${workspace.name}`}
        subtitle={numbersSubtitle(numbers, connected)}
        actions={
          <button className="button button--secondary" type="button" onClick={() => setAdding('qr')}>
            <Icon name="plus" size={18} /> Add a number
          </button>
        }
      />
      <FormError error={data.error} />
      {problems.length > 0 && (
        <div className="notice notice--problem notice--banner" role="alert">
          <Icon name="alert" />
          <span>
            {problems.length === 1
              ? `${formatPhone(problems[0]!.e164)} needs your attention.`
              : `${problems.length} numbers need your attention.`}{' '}
            See below for what to do.
          </span>
        </div>
      )}

      <BackupHomeLine />
      {faqCount === 0 && connected > 0 && <NextStepFaqs />}

      <TodayStats stats={homeStats.stats} error={homeStats.error} />
      <LearnedThisWeek />
      <NumbersSection data={data} adding={adding} setAdding={setAdding} />
      <ActivityChart stats={homeStats.stats} />

      <div className="grid-2">
        <AlertsCard alerts={data.alerts} />
        <RecentMessagesCard />
      </div>
    </>
  );
}

function NextStepFaqs() {
  return (
    <section className="card next-step" aria-label="Next step">
      <span className="next-step__icon" aria-hidden="true">
        <Icon name="faq" size={26} />
      </span>
      <div className="next-step__text">
        <p className="next-step__title">Next: teach Switchboard your answers</p>
        <p className="muted">
          Add the questions customers ask most, like opening hours, delivery and prices, and Switchboard will
          answer them for you.
        </p>
      </div>
      <a className="button button--primary" href="#/faqs">
        Add your FAQs
      </a>
    </section>
  );
}

function NumbersSection(props: {
  data: ReturnType<typeof useHomeData>;
  adding: Adding;
  setAdding: (adding: Adding) => void;
}) {
  const { data, adding, setAdding } = props;
  const { numbers, cloud, load } = data;
  const workspace = useWorkspace();
  const now = useNow(1000);
  return (
    <section className="section" aria-labelledby="numbers-title">
      <h2 className="section__title" id="numbers-title">
        WhatsApp numbers
      </h2>
      {adding === 'qr' && (
        <AddNumber
          workspaceId={workspace.id}
          onClose={() => setAdding(false)}
          onOfficial={() => setAdding('cloud')}
        />
      )}
      {(adding === 'cloud' || typeof adding === 'object') && (
        <CloudConnectForm
          key={typeof adding === 'object' ? adding.token.numberId : 'new'}
          existing={typeof adding === 'object' ? adding.token : undefined}
          workspaceId={workspace.id}
          onClose={() => {
            setAdding(false);
            void load();
          }}
          onConnected={() => void load()}
        />
      )}
      {numbers === null ? (
        <div className="card card--skeleton" />
      ) : numbers.length === 0 && !adding ? (
        <div className="empty card">
          <p>No WhatsApp number yet.</p>
          <button className="button button--primary" type="button" onClick={() => setAdding('qr')}>
            Add your number
          </button>{' '}
          <button className="button button--secondary" type="button" onClick={() => setAdding('cloud')}>
            Connect an official number
          </button>
        </div>
      ) : (
        <div className="number-list">
          {numbers.map((n) => (
            <NumberCard
              key={n.phoneNumberId}
              number={n}
              now={now}
              cloud={cloud?.numbers.find((c) => c.numberId === n.phoneNumberId)}
              relay={data.relay}
              onNewToken={(view) => setAdding({ token: view })}
            />
          ))}
        </div>
      )}
      {cloud !== null && <CloudSpendLine status={cloud} aiMonthUsd={data.aiMonthUsd} />}
    </section>
  );
}

/** Alerts are logged as "+2348031234567: what happened"; show the number the way people write it. */
function readableAlert(message: string): string {
  return message.replace(/^(\+\d{6,15})(?=:)/, (e164) => formatPhone(e164));
}

function AlertsCard({ alerts }: { alerts: ReturnType<typeof useHomeData>['alerts'] }) {
  const now = useNow(1000);
  return (
    <section className="card" aria-labelledby="alerts-title">
      <h2 className="card__title card__title--small" id="alerts-title">
        Alerts
      </h2>
      {alerts.length === 0 ? (
        <p className="muted empty-line">
          <Icon name="check" size={18} /> No alerts. All quiet.
        </p>
      ) : (
        <ul className="alert-list">
          {alerts.map((a) => (
            <li key={a.seq} className="alert-list__item">
              <span className={`dot dot--${a.level === 'error' ? 'problem' : 'busy'}`} aria-hidden="true" />
              <span className="alert-list__text">{readableAlert(a.message)}</span>
              <time className="alert-list__time">{formatTime(a.ts, now)}</time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentMessagesCard() {
  const { recentMessages } = useApp();
  const workspace = useWorkspace();
  const messages = recentMessages[workspace.id] ?? [];
  const now = useNow(1000);
  return (
    <section className="card" aria-labelledby="messages-title">
      <h2 className="card__title card__title--small" id="messages-title">
        Customers writing now
      </h2>
      {messages.length === 0 ? (
        <p className="muted empty-line">
          <Icon name="message" size={18} /> New customer messages appear here as they arrive.
        </p>
      ) : (
        <ul className="message-list">
          {messages.map((m, i) => (
            <li key={`${m.at}-${i}`} className="message-list__item">
              <span className="message-list__who">{m.name ?? formatPhone(m.from)}</span>
              <span className="message-list__text">{m.text ?? '(a photo, voice note or file)'}</span>
              <time className="message-list__time">{formatTime(m.at, now)}</time>
            </li>
          ))}
        </ul>
      )}
      <p className="card__foot muted">
        Whole chats, with the bot&rsquo;s replies, are in <a href="#/conversations">Conversations</a>.
      </p>
    </section>
  );
}
