import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import type { CommandInput, LogEvent } from '../../../shared/contract';
import type { LogLevel } from '../../../shared/types';
import { errorMessage } from '../client/client';
import { PageHeader } from '../components/Layout';
import { formatTime } from '../format';
import { useApp, useEvent, useOnReconnect, useWorkspace } from '../state/app-context';

const PAGE_SIZE = 50;

const TYPE_OPTIONS = [
  { value: '', label: 'All kinds' },
  { value: 'connection.', label: 'Connection' },
  { value: 'message.', label: 'Messages' },
  { value: 'number.', label: 'Numbers' },
  { value: 'faq.', label: 'FAQs' },
  { value: 'workspace.', label: 'Business settings' },
  { value: 'store.', label: 'Database' },
  { value: 'error', label: 'Errors' },
] as const;

const TIME_OPTIONS = [
  { value: 'hour', label: 'Last hour', ms: 60 * 60 * 1000 },
  { value: 'day', label: 'Last 24 hours', ms: 24 * 60 * 60 * 1000 },
  { value: 'week', label: 'Last 7 days', ms: 7 * 24 * 60 * 60 * 1000 },
  { value: 'all', label: 'All time', ms: null },
] as const;

const LEVEL_OPTIONS: { value: LogLevel | 'all'; label: string }[] = [
  { value: 'all', label: 'All levels' },
  { value: 'info', label: 'Info and above' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'error', label: 'Errors only' },
];

interface Filters {
  scope: 'workspace' | 'system';
  level: LogLevel | 'all';
  type: string;
  time: (typeof TIME_OPTIONS)[number]['value'];
  search: string;
}

/** The event log: every decision and connection change, filtered, paged, and tailed live. */
export function Logs() {
  const { client } = useApp();
  const workspace = useWorkspace();
  const [filters, setFilters] = useState<Filters>({
    scope: 'workspace',
    level: 'all',
    type: '',
    time: 'day',
    search: '',
  });
  const [search, setSearch] = useState('');
  const [live, setLive] = useState(true);
  const [events, setEvents] = useState<LogEvent[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [cursors, setCursors] = useState<number[]>([]);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tailing = useRef(false);

  const scopeId = filters.scope === 'workspace' ? workspace.id : null;

  const query = useCallback(
    (extra: Partial<CommandInput<'log.query'>>): CommandInput<'log.query'> => {
      const time = TIME_OPTIONS.find((t) => t.value === filters.time);
      return {
        workspaceId: scopeId,
        limit: PAGE_SIZE,
        ...(filters.level !== 'all' && { minLevel: filters.level }),
        ...(filters.type !== '' && { typePrefix: filters.type }),
        ...(time?.ms != null && { since: Date.now() - time.ms }),
        ...(filters.search.trim() !== '' && { search: filters.search.trim() }),
        ...extra,
      };
    },
    [filters, scopeId],
  );

  const cursor = cursors.at(-1);
  const load = useCallback(async () => {
    try {
      const page = await client.invoke('log.query', query(cursor === undefined ? {} : { beforeSeq: cursor }));
      setEvents(page.events);
      setNext(page.nextBeforeSeq);
      setFresh(new Set());
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [client, query, cursor]);

  useEffect(() => void load(), [load]);
  useEffect(() => setCursors([]), [filters, workspace.id]);
  useOnReconnect(() => void load());

  // The search box waits for a pause in typing.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.search === search ? f : { ...f, search })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  useEvent('log.appended', (event) => {
    if (!live || cursor !== undefined || events === null || tailing.current) return;
    if (!event.workspaceIds.includes(scopeId)) return;
    tailing.current = true;
    const newest = events[0]?.seq ?? 0;
    client
      .invoke('log.query', query({ afterSeq: newest }))
      .then((page) => {
        if (page.events.length === 0) return;
        const merged = [...page.events, ...events];
        if (merged.length > PAGE_SIZE) {
          // What falls off the bottom is now on the next (older) page.
          merged.length = PAGE_SIZE;
          setNext(merged.at(-1)!.seq);
        }
        setEvents(merged);
        setFresh(new Set(page.events.map((e) => e.seq)));
      })
      .catch(() => undefined)
      .finally(() => (tailing.current = false));
  });

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters((f) => ({ ...f, [key]: value }));
  const now = Date.now();

  return (
    <>
      <PageHeader
        title="Activity log"
        subtitle="Everything Switchboard did and why: connections, messages, answers and changes."
        actions={
          <label className="live-toggle">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
            <span
              className={`live-toggle__dot${live && cursor === undefined ? ' live-toggle__dot--on' : ''}`}
              aria-hidden="true"
            />
            Live
          </label>
        }
      />
      <div className="filters" role="group" aria-label="Filters">
        <div className="segmented" role="radiogroup" aria-label="Whose events">
          <button
            type="button"
            role="radio"
            aria-checked={filters.scope === 'workspace'}
            className={`segmented__item${filters.scope === 'workspace' ? ' segmented__item--active' : ''}`}
            onClick={() => set('scope', 'workspace')}
          >
            This business
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={filters.scope === 'system'}
            className={`segmented__item${filters.scope === 'system' ? ' segmented__item--active' : ''}`}
            onClick={() => set('scope', 'system')}
          >
            System
          </button>
        </div>
        <FilterSelect
          label="Level"
          value={filters.level}
          options={LEVEL_OPTIONS}
          onChange={(v) => set('level', v)}
        />
        <FilterSelect
          label="Kind"
          value={filters.type}
          options={TYPE_OPTIONS}
          onChange={(v) => set('type', v)}
        />
        <FilterSelect
          label="Time"
          value={filters.time}
          options={TIME_OPTIONS}
          onChange={(v) => set('time', v)}
        />
        <input
          className="input input--compact filters__search"
          type="search"
          placeholder="Search messages"
          aria-label="Search the log"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
      <div className="card card--flush">
        <table className="log-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Level</th>
              <th scope="col">Kind</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {events === null ? (
              <tr>
                <td colSpan={4} className="log-table__empty">
                  Loading…
                </td>
              </tr>
            ) : events.length === 0 ? (
              <tr>
                <td colSpan={4} className="log-table__empty">
                  Nothing matches these filters.
                </td>
              </tr>
            ) : (
              events.map((e) => (
                <Fragment key={e.seq}>
                  <tr
                    className={`log-row log-row--${e.level}${fresh.has(e.seq) ? ' log-row--new' : ''}${open === e.seq ? ' log-row--open' : ''}`}
                    data-type={e.type}
                    data-level={e.level}
                    onClick={() => setOpen(open === e.seq ? null : e.seq)}
                  >
                    <td className="log-row__time">
                      <time dateTime={new Date(e.ts).toISOString()}>{formatTime(e.ts, now)}</time>
                    </td>
                    <td>
                      <span className={`level level--${e.level}`}>{e.level}</span>
                    </td>
                    <td className="log-row__type">{e.type}</td>
                    <td className="log-row__message">{e.message}</td>
                  </tr>
                  {open === e.seq && (
                    <tr className="log-detail">
                      <td colSpan={4}>
                        <pre>{JSON.stringify(e.meta ?? {}, null, 2)}</pre>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <button
          className="button button--ghost"
          type="button"
          disabled={cursor === undefined}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          ← Newer
        </button>
        <span className="muted">
          {cursor === undefined
            ? live
              ? 'Showing the newest, live'
              : 'Showing the newest'
            : `Page ${cursors.length + 1}`}
        </span>
        <button
          className="button button--ghost"
          type="button"
          disabled={next === null}
          onClick={() => next !== null && setCursors((c) => [...c, next])}
        >
          Older →
        </button>
      </div>
    </>
  );
}

/** One filter drop-down; the value stays typed as one of its options. */
function FilterSelect<V extends string>(props: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
}) {
  return (
    <select
      className="input input--compact"
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value as V)}
    >
      {props.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
