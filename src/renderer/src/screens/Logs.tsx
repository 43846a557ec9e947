import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogEvent } from '../../../shared/contract';
import { FormError } from '../components/Field';
import { PageHeader } from '../components/Layout';
import { useWorkspace } from '../state/app-context';
import { exportFilterOf, filtersSummary, INITIAL_FILTERS, type Filters } from './logs/log-filters';
import { LogDetail } from './logs/LogDetail';
import { LogFilters } from './logs/LogFilters';
import { LogList } from './logs/LogTable';
import { useLogEvents } from './logs/use-log-events';
import { logTimes } from './log-view';
import { LogChatSearch } from './LogChatSearch';
import { LogExport } from './LogExport';
import './logs.css';

/**
 * The event log: every decision and connection change, filtered, tailed live, and exported. The list
 * is virtual (only the rows in view are in the page) and loads older pages as it is scrolled, so a
 * log of 100k entries scrolls like one of fifty.
 */
export function Logs() {
  const workspace = useWorkspace();
  // Times as the shop keeps them (the workspace's zone), the same as in the export.
  const times = useMemo(() => logTimes(workspace.settings.timezone), [workspace.settings.timezone]);
  const [filters, setFilters] = useState<Filters>(INITIAL_FILTERS);
  const search = useSettledSearch(setFilters);
  const [live, setLive] = useState(true);
  const [selected, setSelected] = useState<LogEvent | null>(null);
  const [exporting, setExporting] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  const scopeId = filters.scope === 'workspace' ? workspace.id : null;
  // The time window is fixed when the filters change (not on every render), so pages agree.
  const filter = useMemo(() => exportFilterOf(filters, scopeId), [filters, scopeId]);
  const log = useLogEvents(filter, scroller, live);
  useEffect(() => setSelected(null), [log.load]);

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters((f) => ({ ...f, [key]: value }));

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
      <LogFilters filters={filters} onFilter={set} search={search.text} onSearch={search.setText} />
      {filters.scope === 'workspace' && filters.search.trim().length >= 2 && (
        <LogChatSearch query={filters.search.trim()} />
      )}
      {exporting && (
        <LogExport
          filter={filter}
          summary={filtersSummary(filters, workspace.name)}
          onClose={() => setExporting(false)}
        />
      )}
      <FormError error={log.error} />
      <LogList
        scroller={scroller}
        log={log}
        times={times}
        selected={selected}
        onSelect={setSelected}
        live={live}
      />
      {selected !== null && (
        <LogDetail event={selected} time={times.full(selected.ts)} onClose={() => setSelected(null)} />
      )}
    </>
  );
}

/** The search box's text, put into the filters once typing pauses. */
function useSettledSearch(setFilters: (update: (filters: Filters) => Filters) => void) {
  const [text, setText] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.search === text ? f : { ...f, search: text })), 300);
    return () => clearTimeout(timer);
  }, [text, setFilters]);
  return { text, setText };
}
