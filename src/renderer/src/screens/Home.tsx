import { BackupHomeLine } from './Backups';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type {
  CloudNumberView,
  CloudRelayStatus,
  CloudStatus,
  LogEvent,
  NumberState,
} from '../../../shared/contract';
import { errorMessage } from '../client/client';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Layout';
import { StatusBadge } from '../components/StatusBadge';
import { formatCountdown, formatPhone, formatTime, greeting, STATUS_VIEW } from '../format';
import { navigate } from '../router';
import { useApp, useEvent, useNow, useOnReconnect, useWorkspace } from '../state/app-context';
import { useAction } from '../state/use-action';
import { ActivityChart, TodayStats, useHomeStats } from './HomeStats';
import { LearnedThisWeek } from './LearnedThisWeek';
import { CloudConnectForm, CloudSpendLine, QualityRating } from './CloudConnect';
import { CloudRelayLine } from './CloudRelayLine';

/** Each number's state at a glance, what needs the owner, and customers writing in right now. */
export function Home() {
  const { client, recentMessages } = useApp();
  const workspace = useWorkspace();
  const [numbers, setNumbers] = useState<NumberState[] | null>(null);
  const [alerts, setAlerts] = useState<LogEvent[]>([]);
  const [faqCount, setFaqCount] = useState<number | null>(null);
  const messages = recentMessages[workspace.id] ?? [];
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState<false | 'qr' | 'cloud' | { token: CloudNumberView }>(false);
  const [cloud, setCloud] = useState<CloudStatus | null>(null);
  const [relay, setRelay] = useState<CloudRelayStatus | null>(null);
  const [aiMonthUsd, setAiMonthUsd] = useState<number | null>(null);
  const now = useNow(1000);
  const homeStats = useHomeStats();

  const load = useCallback(async () => {
    try {
      const [list, page, faqs] = await Promise.all([
        client.invoke('connection.list', { workspaceId: workspace.id }),
        client.invoke('log.query', { workspaceId: workspace.id, types: ['connection.alert'], limit: 5 }),
        client.invoke('faq.list', { workspaceId: workspace.id, includeDisabled: false }),
      ]);
      setNumbers(list);
      setAlerts(page.events);
      setFaqCount(faqs.length);
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    }
    // Official numbers' names, quality ratings and what their messages cost (beside the AI's spend).
    try {
      const [cloudStatus, ai, relayStatus] = await Promise.all([
        client.invoke('cloud.status', { workspaceId: workspace.id }),
        client.invoke('ai.status', { workspaceId: workspace.id }),
        client.invoke('cloud.relay', { workspaceId: workspace.id }),
      ]);
      setCloud(cloudStatus);
      setRelay(relayStatus);
      setAiMonthUsd(ai.spend.monthUsd);
    } catch {
      setCloud(null);
    }
  }, [client, workspace.id]);

  useEffect(() => {
    setNumbers(null);
    void load();
  }, [load]);
  useOnReconnect(() => void load());

  useEvent('connection.changed', (event) => {
    if (event.workspaceId !== workspace.id) return;
    setNumbers((current) => current?.map((n) => (n.e164 === event.e164 ? { ...n, ...event } : n)) ?? current);
  });
  useEvent('workspace.changed', (event) => {
    if (event.workspaceId === workspace.id) void load();
  });
  // How Cloud numbers' webhooks arrive: the relay says when that changes (and after deliveries).
  useEvent('cloud.relayChanged', (status) => {
    if (status.workspaceId === workspace.id) setRelay(status);
  });
  useEvent('faq.changed', (event) => {
    if (event.workspaceId === workspace.id) void load();
  });
  // An alert is also written to the log: read the list back once it is there (the log says when).
  const alertPending = useRef(false);
  useEvent('alert.raised', (event) => {
    if (event.workspaceId === workspace.id) alertPending.current = true;
  });
  useEvent('log.appended', (event) => {
    if (!alertPending.current || !event.workspaceIds.includes(workspace.id)) return;
    alertPending.current = false;
    void load();
  });

  const connected = numbers?.filter((n) => n.status === 'connected').length ?? 0;
  const problems = numbers?.filter((n) => STATUS_VIEW[n.status].tone === 'problem') ?? [];

  return (
    <>
      <PageHeader
        title={`${greeting()}, ${workspace.name}`}
        subtitle={
          numbers === null
            ? 'Checking your WhatsApp…'
            : numbers.length === 0
              ? 'Add your WhatsApp number to start answering customers.'
              : connected === numbers.length
                ? 'All your numbers are connected. Customers can reach you.'
                : `${connected} of ${numbers.length} number${numbers.length === 1 ? '' : 's'} connected.`
        }
        actions={
          <button className="button button--secondary" type="button" onClick={() => setAdding('qr')}>
            <Icon name="plus" size={18} /> Add a number
          </button>
        }
      />
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
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
      {faqCount === 0 && connected > 0 && (
        <section className="card next-step" aria-label="Next step">
          <span className="next-step__icon" aria-hidden="true">
            <Icon name="faq" size={26} />
          </span>
          <div className="next-step__text">
            <p className="next-step__title">Next: teach Switchboard your answers</p>
            <p className="muted">
              Add the questions customers ask most, like opening hours, delivery and prices, and Switchboard
              will answer them for you.
            </p>
          </div>
          <a className="button button--primary" href="#/faqs">
            Add your FAQs
          </a>
        </section>
      )}

      <TodayStats stats={homeStats.stats} error={homeStats.error} />
      <LearnedThisWeek />

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
                relay={relay}
                onNewToken={(view) => setAdding({ token: view })}
              />
            ))}
          </div>
        )}
        {cloud !== null && <CloudSpendLine status={cloud} aiMonthUsd={aiMonthUsd} />}
      </section>

      <ActivityChart stats={homeStats.stats} />

      <div className="grid-2">
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
                  <span
                    className={`dot dot--${a.level === 'error' ? 'problem' : 'busy'}`}
                    aria-hidden="true"
                  />
                  <span className="alert-list__text">{readableAlert(a.message)}</span>
                  <time className="alert-list__time">{formatTime(a.ts, now)}</time>
                </li>
              ))}
            </ul>
          )}
        </section>
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
      </div>
    </>
  );
}

function NumberCard({
  number,
  now,
  cloud,
  relay,
  onNewToken,
}: {
  number: NumberState;
  now: number;
  /** Set for a number on the WhatsApp Cloud API: its verified name and quality rating. */
  cloud?: CloudNumberView | undefined;
  /** The workspace's webhook relay: how a Cloud number's messages reach this computer. */
  relay?: CloudRelayStatus | null;
  /** Opens the form that replaces a Cloud number's access token. */
  onNewToken?: (cloud: CloudNumberView) => void;
}) {
  const { client } = useApp();
  const { busy, error, run: act } = useAction();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const view = STATUS_VIEW[number.status];
  const ref = { workspaceId: number.workspaceId, phoneNumberId: number.phoneNumberId };
  const pair = () => navigate({ name: 'pair', phoneNumberId: number.phoneNumberId });
  const reconnect = () => void act(() => client.invoke('connection.reconnect', ref));

  let detail: string = view.hint;
  if (number.status === 'reconnecting' && number.nextAttemptAt !== null) {
    const left = number.nextAttemptAt - now;
    detail =
      left > 0
        ? `The connection dropped. Trying again in ${formatCountdown(left)} (attempt ${number.attempt}).`
        : 'The connection dropped. Trying again now…';
  } else if (number.message !== null && view.tone !== 'ok') {
    detail = number.message;
  }

  if (cloud !== undefined && number.status === 'connected')
    detail = 'Official number on the WhatsApp Cloud API.';
  const action =
    cloud === undefined &&
    (number.status === 'unpaired' ||
      number.status === 'logged-out' ||
      number.status === 'wrong-phone' ||
      number.status === 'pairing') ? (
      <button className="button button--primary" type="button" onClick={pair}>
        {number.status === 'pairing'
          ? 'Continue linking'
          : number.status === 'logged-out'
            ? 'Link again'
            : number.status === 'wrong-phone'
              ? 'Show a new QR'
              : 'Link this number'}
      </button>
    ) : number.status === 'needs-attention' ||
      number.status === 'replaced' ||
      number.status === 'disabled' ? (
      <button className="button button--primary" type="button" disabled={busy} onClick={reconnect}>
        Reconnect
      </button>
    ) : null;

  return (
    <article
      className={`number-card number-card--${view.tone}`}
      data-e164={number.e164}
      aria-label={`WhatsApp number ${formatPhone(number.e164)}`}
    >
      <div className="number-card__main">
        <span className="number-card__icon" aria-hidden="true">
          <Icon name="phone" />
        </span>
        <div>
          <div className="number-card__title">
            <span className="number-card__number">{formatPhone(number.e164)}</span>
            {number.label !== null && <span className="muted">{number.label}</span>}
          </div>
          {cloud !== undefined && (
            <p className="cloud-number" data-testid="cloud-number">
              <span data-fact="verified-name">{cloud.verifiedName ?? 'Name not verified yet'}</span>
              <QualityRating rating={cloud.qualityRating} />
            </p>
          )}
          <p className="number-card__detail">{detail}</p>
          {cloud !== undefined && relay !== null && relay !== undefined && (
            <CloudRelayLine
              status={relay}
              phoneNumberId={cloud.phoneNumberId}
              takesWebhooks={cloud.takesWebhooks}
              now={now}
            />
          )}
          {error !== null && <p className="field__error">{error}</p>}
        </div>
      </div>
      <div className="number-card__side">
        <StatusBadge status={number.status} />
        <div className="number-card__actions">
          {cloud !== undefined && onNewToken !== undefined && (
            // An expired or revoked token is the usual reason a Cloud number needs attention.
            <button
              className={
                number.status === 'needs-attention'
                  ? 'button button--primary'
                  : 'button button--ghost button--small'
              }
              type="button"
              onClick={() => onNewToken(cloud)}
            >
              New token
            </button>
          )}
          {action}
          {confirmRemove ? (
            <span className="confirm">
              Remove {formatPhone(number.e164)}?{' '}
              <button
                className="button button--danger button--small"
                type="button"
                disabled={busy}
                onClick={() => void act(() => client.invoke('number.remove', ref))}
                aria-label={`Yes, remove ${formatPhone(number.e164)}`}
              >
                Yes, remove
              </button>
              <button
                className="button button--ghost button--small"
                type="button"
                onClick={() => setConfirmRemove(false)}
              >
                Keep
              </button>
            </span>
          ) : (
            <button
              className="button button--ghost button--small"
              type="button"
              onClick={() => setConfirmRemove(true)}
            >
              Remove {formatPhone(number.e164)}
            </button>
          )}
        </div>
      </div>
    </article>
  );
}

function AddNumber({
  workspaceId,
  onClose,
  onOfficial,
}: {
  workspaceId: string;
  onClose: () => void;
  onOfficial: () => void;
}) {
  const { client } = useApp();
  const [number, setNumber] = useState('');
  const [label, setLabel] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const added = await client.invoke('number.add', {
        workspaceId,
        number,
        label: label.trim() === '' ? null : label,
      });
      onClose();
      navigate({ name: 'pair', phoneNumberId: added.id });
    });
  };
  return (
    <form className="card form form--inline" onSubmit={(e) => void submit(e)} aria-label="Add a number">
      <div className="field-row">
        <label className="field field--grow">
          <span className="field__label">WhatsApp number</span>
          <input
            className="input"
            type="tel"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            placeholder="e.g. 0803 123 4567"
            required
            autoFocus
          />
        </label>
        <label className="field field--grow">
          <span className="field__label">Label (optional)</span>
          <input
            className="input"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            placeholder="e.g. Ikeja branch"
            maxLength={100}
          />
        </label>
      </div>
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button className="button button--ghost add-number__alt" type="button" onClick={onOfficial}>
          Connect an official number instead
        </button>
        <button className="button button--ghost" type="button" onClick={onClose}>
          Cancel
        </button>
        <button className="button button--primary" type="submit" disabled={busy}>
          Add and link
        </button>
      </div>
    </form>
  );
}

/** Alerts are logged as "+2348031234567: what happened"; show the number the way people write it. */
function readableAlert(message: string): string {
  return message.replace(/^(\+\d{6,15})(?=:)/, (e164) => formatPhone(e164));
}
