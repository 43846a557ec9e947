import { useCallback, useEffect, useRef, useState } from 'react';
import type { DayActivity, HomeStats as Stats } from '../../../shared/contract';
import { errorMessage } from '../client/client';
import { BarChart, type BarSeries } from '../components/BarChart';
import { FormError } from '../components/Field';
import { Icon } from '../components/Icon';
import { hrefOf } from '../router';
import { useApp, useEvent, useNow, useOnReconnect, useWorkspace } from '../state/app-context';
import { useThrottle } from '../state/use-throttle';
import './home-stats.css';

/** Live refreshes at most this often while customers write (each costs today's range, ~ms). */
const REFRESH_MS = 2_000;
/** And at least this often, so waiting times and the day change show with nobody writing. */
const IDLE_REFRESH_MS = 60_000;

const SERIES: BarSeries[] = [
  { key: 'messagesIn', label: 'Messages in', tone: 'in' },
  { key: 'botAnswered', label: 'Bot answers', tone: 'bot' },
  { key: 'handoffs', label: 'Hand-offs', tone: 'handoff' },
];

const number = new Intl.NumberFormat();
// Local dates arrive as 'YYYY-MM-DD' in the workspace's zone: read them as UTC dates, not instants.
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'UTC',
});
const dateOf = (day: string) =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));

/** "12 min", "2 h 5 min", "3 days" */
export function formatWait(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

const plural = (n: number, one: string, many: string) => `${number.format(n)} ${n === 1 ? one : many}`;

/**
 * The selected business's figures (`stats.home`), reloaded live as chats change (throttled) and once a
 * minute anyway, so waiting times and the day change show with nobody writing.
 */
export function useHomeStats(): { stats: Stats | null; error: string | null } {
  const { client } = useApp();
  const workspace = useWorkspace();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A late answer for the business shown before a switch must not overwrite the new one's.
  const shown = useRef(workspace.id);
  useEffect(() => {
    shown.current = workspace.id;
  }, [workspace.id]);
  const load = useCallback(async () => {
    const workspaceId = workspace.id;
    try {
      const next = await client.invoke('stats.home', { workspaceId });
      if (shown.current !== workspaceId) return;
      setStats(next);
      setError(null);
    } catch (failure) {
      if (shown.current === workspaceId) setError(errorMessage(failure));
    }
  }, [client, workspace.id]);

  const refresh = useThrottle(() => void load(), REFRESH_MS);
  useEffect(() => {
    setStats(null);
    void load();
    const timer = setInterval(() => void load(), IDLE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useOnReconnect(refresh);
  useEvent('conversation.changed', (event) => {
    if (event.workspaceId === workspace.id) refresh();
  });
  useEvent('workspace.changed', (event) => {
    if (event.workspaceId === workspace.id) refresh();
  });
  return { stats, error };
}

/** Today: messages, the bot's answer rate and the chats waiting for the owner. */
export function TodayStats({ stats, error }: { stats: Stats | null; error: string | null }) {
  if (stats === null) {
    return (
      <section className="section" aria-label="Today" aria-busy="true">
        {error !== null ? (
          <FormError error={error} />
        ) : (
          <div className="stat-grid">
            <div className="card card--skeleton stat-card" />
            <div className="card card--skeleton stat-card" />
            <div className="card card--skeleton stat-card" />
          </div>
        )}
      </section>
    );
  }
  return (
    <section className="section" aria-labelledby="today-title">
      <h2 className="section__title" id="today-title">
        Today
      </h2>
      <FormError error={error} />
      <div className="stat-grid">
        <MessagesCard today={stats.today} />
        <AnswerRateCard today={stats.today} />
        <WaitingCard waiting={stats.handoffsWaiting} />
      </div>
    </section>
  );
}

function MessagesCard({ today }: { today: Stats['today'] }) {
  const sent = today.botMessagesOut + today.ownerMessagesOut;
  return (
    <article className="card stat-card" aria-label="Messages today">
      <span className="stat-card__label">
        <Icon name="message" size={18} /> Messages today
      </span>
      <span className="stat-card__value" data-stat="messages-in">
        {number.format(today.messagesIn)}
      </span>
      <span className="stat-card__detail" data-stat="messages-out">
        {today.messagesIn === 0 && sent === 0
          ? 'No customer messages yet today.'
          : `from customers · ${plural(sent, 'reply', 'replies')} sent (${number.format(today.botMessagesOut)} by the bot, ${number.format(today.ownerMessagesOut)} by you)`}
      </span>
    </article>
  );
}

function AnswerRateCard({ today }: { today: Stats['today'] }) {
  const rate = today.answerRate;
  return (
    <article className="card stat-card" aria-label="Answered by the bot">
      <span className="stat-card__label">
        <Icon name="bolt" size={18} /> Answered by the bot
      </span>
      <span className="stat-card__value" data-stat="answer-rate">
        {rate === null ? '–' : `${Math.round(rate * 100)}%`}
      </span>
      <span className="meter stat-card__meter" aria-hidden="true">
        <span className="meter__fill" style={{ width: `${Math.round((rate ?? 0) * 100)}%` }} />
      </span>
      <span className="stat-card__detail" data-stat="answered">
        {rate === null
          ? 'No questions needed an answer yet today.'
          : `${number.format(today.botAnswered)} of ${plural(today.needingAnswer, 'question', 'questions')}` +
            (today.handoffs > 0 ? ` · ${number.format(today.handoffs)} handed to you` : '') +
            (today.unanswered > 0 ? ` · ${number.format(today.unanswered)} not answered` : '')}
      </span>
    </article>
  );
}

function WaitingCard({ waiting }: { waiting: Stats['handoffsWaiting'] }) {
  const now = useNow(30_000);
  return (
    <article
      className={`card stat-card${waiting.chats > 0 ? ' stat-card--attention' : ''}`}
      aria-label="Waiting for you"
    >
      <span className="stat-card__label">
        <Icon name="chat" size={18} /> Waiting for you
      </span>
      <span className="stat-card__value" data-stat="handoffs-waiting">
        {number.format(waiting.chats)}
      </span>
      <span className="stat-card__detail">
        {waiting.chats === 0 || waiting.oldestSince === null ? (
          'No customer is waiting for a person.'
        ) : (
          <>
            {waiting.chats === 1
              ? `chat handed to you, waiting for ${formatWait(now - waiting.oldestSince)}.`
              : `chats handed to you · the longest waiting for ${formatWait(now - waiting.oldestSince)}.`}{' '}
            <a href={hrefOf({ name: 'conversations', needsYou: true })}>See who needs you</a>
          </>
        )}
      </span>
    </article>
  );
}

/** The last days as bars: messages in, bot answers and hand-offs per local day. */
export function ActivityChart({ stats }: { stats: Stats | null }) {
  if (stats === null) return null;
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const totals = SERIES.map((s) =>
    stats.days.reduce((n, d) => n + (d[s.key as keyof DayActivity] as number), 0),
  );
  return (
    <section className="card section chart-card" aria-labelledby="chart-title">
      <div className="chart-card__head">
        <h2 className="card__title card__title--small" id="chart-title">
          Last {stats.days.length} days
        </h2>
        <ul className="legend" aria-label="Totals for these days">
          {SERIES.map((s, i) => (
            <li key={s.key} className="legend__item">
              <span className={`legend-swatch legend-swatch--${s.tone}`} aria-hidden="true" />
              {s.label} <b>{number.format(totals[i] ?? 0)}</b>
            </li>
          ))}
        </ul>
      </div>
      <div className="chart-card__body">
        {totals.every((t) => t === 0) && (
          <p className="chart-card__empty">
            No customer messages in these days yet. The bars fill in as customers write.
          </p>
        )}
        <BarChart
          label={`Messages in, bot answers and hand-offs per day, the last ${stats.days.length} days`}
          series={SERIES}
          groups={stats.days.map((d, i) => ({
            key: d.date,
            label: [
              i === stats.days.length - 1 ? 'Today' : weekday.format(dateOf(d.date)),
              String(Number(d.date.slice(8))),
            ],
            title: longDay.format(dateOf(d.date)),
            values: [d.messagesIn, d.botAnswered, d.handoffs],
            current: i === stats.days.length - 1,
          }))}
        />
      </div>
      <p className="card__foot muted">
        Days run from midnight to midnight, {stats.timeZone.replaceAll('_', ' ')} time
        {localZone !== stats.timeZone ? ` (this computer is set to ${localZone.replaceAll('_', ' ')})` : ''}.
        The time zone is in Settings.
      </p>
    </section>
  );
}
