import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CommandInput, LogEvent } from '../../../shared/contract';
import type { LogLevel } from '../../../shared/types';
import { errorMessage } from '../client/client';
import { PageHeader } from '../components/Layout';
import { formatPhone } from '../format';
import { logSentence } from '../../../shared/log-sentence';
import { logTimes, LEVEL_WORDS } from './log-view';
import { useApp, useEvent, useOnReconnect, useWorkspace } from '../state/app-context';
import { useVirtualRows } from '../state/use-virtual-rows';
import { LogExport, type ExportFilter } from './LogExport';
import { LogChatSearch } from './LogChatSearch';
import './logs.css';

/** Rows per request as the list scrolls (the command allows up to 500). */
const PAGE_SIZE = 200;
/** Every row is one line this tall (logs.css): the virtual window depends on it. */
const ROW_HEIGHT = 40;
/** Start loading the next page when this many loaded rows are left below the view. */
const PREFETCH_ROWS = 60;

const TYPE_OPTIONS = [
  { value: '', label: 'All kinds' },
  { value: 'connection.', label: 'Connection' },
  { value: 'message.', label: 'Messages' },
  { value: 'number.', label: 'Numbers' },
  { value: 'faq.', label: 'FAQs' },
  { value: 'workspace.', label: 'Business settings' },
  { value: 'store.', label: 'Database' },
  { value: 'sync.', label: 'Central sync' },
  { value: 'error', label: 'Errors' },
] as const;

const TIME_OPTIONS = [
  { value: 'hour', label: 'Last hour', ms: 60 * 60 * 1000 },
  { value: 'day', label: 'Last 24 hours', ms: 24 * 60 * 60 * 1000 },
  { value: 'week', label: 'Last 7 days', ms: 7 * 24 * 60 * 60 * 1000 },
  { value: 'all', label: 'All time', ms: null },
] as const;

const LEVEL_OPTIONS: { value: LogLevel | 'all'; label: string }[] = [
  { value: 'info', label: 'Everything but technical notes' },
  { value: 'all', label: 'Everything, technical notes too' },
  { value: 'warn', label: 'Warnings and problems' },
  { value: 'error', label: 'Problems only' },
];

interface Filters {
  scope: 'workspace' | 'system';
  level: LogLevel | 'all';
  type: string;
  time: (typeof TIME_OPTIONS)[number]['value'];
  search: string;
}

const number = new Intl.NumberFormat();

/**
 * The event log: every decision and connection change, filtered, tailed live, and exported. The list
 * is virtual (only the rows in view are in the page) and loads older pages as it is scrolled, so a
 * log of 100k entries scrolls like one of fifty.
 */
export function Logs() {
  const { client } = useApp();
  const workspace = useWorkspace();
  // Times as the shop keeps them (the workspace's zone), the same as in the export.
  const times = useMemo(() => logTimes(workspace.settings.timezone), [workspace.settings.timezone]);
  const [filters, setFilters] = useState<Filters>({
    scope: 'workspace',
    level: 'info',
    type: '',
    time: 'day',
    search: '',
  });
  const [search, setSearch] = useState('');
  const [live, setLive] = useState(true);
  const [events, setEvents] = useState<LogEvent[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [selected, setSelected] = useState<LogEvent | null>(null);
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  /** Rows added above the view by the live tail: the view moves down by as much, so it stays put. */
  const shiftBy = useRef(0);
  /** Bumped on every new query: an answer to an older one is dropped. */
  const generation = useRef(0);

  const scopeId = filters.scope === 'workspace' ? workspace.id : null;
  // The time window is fixed when the filters change (not on every render), so pages agree.
  const filter = useMemo<ExportFilter>(() => {
    const time = TIME_OPTIONS.find((t) => t.value === filters.time);
    return {
      workspaceId: scopeId,
      ...(filters.level !== 'all' && { minLevel: filters.level }),
      ...(filters.type !== '' && { typePrefix: filters.type }),
      ...(time?.ms != null && { since: Date.now() - time.ms }),
      ...(filters.search.trim() !== '' && { search: filters.search.trim() }),
    };
  }, [filters, scopeId]);
  const query = useCallback(
    (extra: Partial<CommandInput<'log.query'>>): CommandInput<'log.query'> => ({
      ...filter,
      limit: PAGE_SIZE,
      ...extra,
    }),
    [filter],
  );

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const page = await client.invoke('log.query', query({}));
      if (mine !== generation.current) return;
      setEvents(page.events);
      setNext(page.nextBeforeSeq);
      setFresh(new Set());
      setError(null);
      scroller.current?.scrollTo({ top: 0 });
    } catch (failure) {
      if (mine === generation.current) setError(errorMessage(failure));
    }
  }, [client, query]);

  useEffect(() => {
    setEvents(null);
    setSelected(null);
    void load();
  }, [load]);
  useOnReconnect(() => void load());

  // The search box waits for a pause in typing.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.search === search ? f : { ...f, search })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const count = events?.length ?? 0;
  const view = useVirtualRows(scroller, count, ROW_HEIGHT);

  // Older entries: the next page once the view comes near the end of what is loaded.
  const nearEnd = view.scrollTop + view.viewHeight >= (count - PREFETCH_ROWS) * ROW_HEIGHT;
  useEffect(() => {
    if (!nearEnd || next === null || loadingMore || events === null) return;
    const mine = generation.current;
    setLoadingMore(true);
    client
      .invoke('log.query', query({ beforeSeq: next }))
      .then((page) => {
        if (mine !== generation.current) return;
        setEvents((current) => (current === null ? current : [...current, ...page.events]));
        setNext(page.nextBeforeSeq);
      })
      .catch((failure: unknown) => {
        if (mine === generation.current) setError(errorMessage(failure));
      })
      .finally(() => setLoadingMore(false));
  }, [nearEnd, next, loadingMore, events, client, query]);

  // Live tail: newer entries go on top. One query at a time; an append during one asks for another.
  const tail = useRef({ running: false, again: false });
  // The highest seq near the top (entries written in one burst may share a millisecond).
  const newest = useMemo(
    () => Math.max(0, ...(events ?? []).slice(0, PAGE_SIZE).map((e) => e.seq)),
    [events],
  );
  const runTail = useCallback(async () => {
    if (tail.current.running) {
      tail.current.again = true;
      return;
    }
    tail.current.running = true;
    const mine = generation.current;
    try {
      const page = await client.invoke('log.query', query({ afterSeq: newest }));
      if (mine !== generation.current || page.events.length === 0) return;
      if (page.events.length === PAGE_SIZE) {
        // More arrived than one page holds: start over from the newest rather than leave a gap.
        void load();
        return;
      }
      if ((scroller.current?.scrollTop ?? 0) > 0) shiftBy.current += page.events.length * ROW_HEIGHT;
      setEvents((current) => (current === null ? current : [...page.events, ...current]));
      setFresh(new Set(page.events.map((e) => e.seq)));
    } catch {
      // The next append tries again.
    } finally {
      tail.current.running = false;
      if (tail.current.again) {
        tail.current.again = false;
        void runTailRef.current();
      }
    }
  }, [client, query, newest, load]);
  const runTailRef = useRef(runTail);
  useEffect(() => {
    runTailRef.current = runTail;
  });
  useLayoutEffect(() => {
    if (shiftBy.current === 0 || scroller.current === null) return;
    scroller.current.scrollTop += shiftBy.current;
    shiftBy.current = 0;
  }, [events]);

  useEvent('log.appended', (event) => {
    if (!live || events === null || !event.workspaceIds.includes(scopeId)) return;
    void runTail();
  });

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters((f) => ({ ...f, [key]: value }));
  const now = Date.now();
  const rows = events?.slice(view.start, view.end) ?? [];
  const summary = [
    filters.scope === 'workspace' ? workspace.name : 'System',
    LEVEL_OPTIONS.find((o) => o.value === filters.level)?.label,
    TYPE_OPTIONS.find((o) => o.value === filters.type)?.label,
    TIME_OPTIONS.find((o) => o.value === filters.time)?.label.toLowerCase(),
    filters.search.trim() !== '' ? `containing “${filters.search.trim()}”` : null,
  ]
    .filter((part) => part != null)
    .join(' · ');

  return (
    <>
      <PageHeader
        title="Activity log"
        subtitle="Everything Switchboard did and why: connections, messages, answers and changes."
        actions={
          <>
            <button
              className="button button--secondary"
              type="button"
              aria-expanded={exporting}
              onClick={() => setExporting((open) => !open)}
            >
              Export…
            </button>
            <label className="live-toggle">
              <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
              <span className={`live-toggle__dot${live ? ' live-toggle__dot--on' : ''}`} aria-hidden="true" />
              Live
            </label>
          </>
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
          placeholder="Search: a name, a number or words"
          aria-label="Search the log"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      {filters.scope === 'workspace' && filters.search.trim().length >= 2 && (
        <LogChatSearch query={filters.search.trim()} />
      )}
      {exporting && <LogExport filter={filter} summary={summary} onClose={() => setExporting(false)} />}
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
      <div className="card card--flush">
        <div className="log-scroll" ref={scroller} role="region" aria-label="Log entries" tabIndex={-1}>
          <table className="log-table" aria-rowcount={count}>
            <colgroup>
              <col className="log-table__col-time" />
              <col className="log-table__col-level" />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">
                  <span className="log-table__level-head">Level</span>
                </th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {events === null ? (
                <tr>
                  <td colSpan={3} className="log-table__empty">
                    Loading…
                  </td>
                </tr>
              ) : events.length === 0 ? (
                <tr>
                  <td colSpan={3} className="log-table__empty">
                    Nothing matches these filters.
                  </td>
                </tr>
              ) : (
                <>
                  {view.padTop > 0 && (
                    <tr className="log-spacer" aria-hidden="true" style={{ height: view.padTop }}>
                      <td colSpan={3} />
                    </tr>
                  )}
                  {rows.map((e, i) => {
                    const sentence = logSentence(e);
                    return (
                      <tr
                        key={e.seq}
                        className={`log-row log-row--${e.level}${fresh.has(e.seq) ? ' log-row--new' : ''}${selected?.seq === e.seq ? ' log-row--open' : ''}`}
                        data-type={e.type}
                        data-level={e.level}
                        aria-rowindex={view.start + i + 1}
                        aria-selected={selected?.seq === e.seq}
                        tabIndex={0}
                        onClick={() => setSelected(selected?.seq === e.seq ? null : e)}
                        onKeyDown={(key) => {
                          if (key.key === 'Enter' || key.key === ' ') {
                            key.preventDefault();
                            setSelected(selected?.seq === e.seq ? null : e);
                          }
                        }}
                      >
                        <td className="log-row__time">
                          <time dateTime={new Date(e.ts).toISOString()}>{times.short(e.ts, now)}</time>
                        </td>
                        <td>
                          {/* Most entries are plain information: only the others carry a level. */}
                          {e.level !== 'info' && (
                            <span className={`level level--${e.level}`}>{LEVEL_WORDS[e.level]}</span>
                          )}
                        </td>
                        <td className="log-row__message" title={sentence}>
                          {sentence}
                        </td>
                      </tr>
                    );
                  })}
                  {view.padBottom > 0 && (
                    <tr className="log-spacer" aria-hidden="true" style={{ height: view.padBottom }}>
                      <td colSpan={3} />
                    </tr>
                  )}
                </>
              )}
            </tbody>
          </table>
        </div>
        <div className="log-foot" role="status">
          {events === null
            ? ''
            : events.length === 0
              ? ''
              : loadingMore
                ? `${number.format(events.length)} entries loaded · loading older ones…`
                : next !== null
                  ? `${number.format(events.length)} entries loaded · scroll down for older ones`
                  : `All ${number.format(events.length)} ${events.length === 1 ? 'entry' : 'entries'} shown`}
          {live && events !== null && (
            <span className="log-foot__live"> · new entries appear at the top</span>
          )}
        </div>
      </div>
      {selected !== null && (
        <LogDetail event={selected} time={times.full(selected.ts)} onClose={() => setSelected(null)} />
      )}
    </>
  );
}

/**
 * One entry in full, beside the list (rows are one line each, so details open here): the sentence and
 * its time first; the codes, the core's own message and the data behind "Details".
 */
function LogDetail({ event, time, onClose }: { event: LogEvent; time: string; onClose: () => void }) {
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') latestClose.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <aside className="log-detail" aria-label="Log entry details">
      <div className="log-detail__head">
        <span className={`level level--${event.level}`}>{LEVEL_WORDS[event.level]}</span>
        <button
          className="button button--ghost button--small log-detail__close"
          type="button"
          onClick={onClose}
          aria-label="Close details"
        >
          ×
        </button>
      </div>
      <time className="muted small" dateTime={new Date(event.ts).toISOString()}>
        {time}
      </time>
      <p className="log-detail__message">{logSentence(event)}</p>
      {event.person != null && (
        <p className="muted small">
          {[event.person.name, event.person.phone === null ? null : formatPhone(event.person.phone)]
            .filter((part) => part !== null && part !== '')
            .join(' · ')}
        </p>
      )}
      <details className="log-detail__more">
        <summary>Details</summary>
        <dl className="log-detail__codes">
          <dt>Kind</dt>
          <dd>
            <code>{event.type}</code>
          </dd>
          <dt>Recorded as</dt>
          <dd>{event.message}</dd>
          <dt>Entry</dt>
          <dd>#{event.seq}</dd>
        </dl>
        <pre>{JSON.stringify(event.meta ?? {}, null, 2)}</pre>
      </details>
    </aside>
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
