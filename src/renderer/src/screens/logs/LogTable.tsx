import type { RefObject } from 'react';
import type { LogEvent } from '../../../../shared/contract';
import { logSentence } from '../../../../shared/log-sentence';
import type { useLogEvents } from './use-log-events';
import { LEVEL_WORDS, type LogTimes } from '../log-view';

const number = new Intl.NumberFormat();

type LogEvents = ReturnType<typeof useLogEvents>;

/** The list of entries in its scroller, with how much is loaded under it. */
export function LogList(props: {
  scroller: RefObject<HTMLDivElement | null>;
  log: LogEvents;
  times: LogTimes;
  selected: LogEvent | null;
  onSelect: (event: LogEvent | null) => void;
  live: boolean;
}) {
  const { log, times, selected, live } = props;
  return (
    <div className="card card--flush">
      <div className="log-scroll" ref={props.scroller} role="region" aria-label="Log entries" tabIndex={-1}>
        <table className="log-table" aria-rowcount={log.events?.length ?? 0}>
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
            <LogRows log={log} times={times} selected={selected} onSelect={props.onSelect} />
          </tbody>
        </table>
      </div>
      <LogFoot events={log.events} loadingMore={log.loadingMore} more={log.next !== null} live={live} />
    </div>
  );
}

/** The rows in view of a virtual list: spacers above and below stand for the rest. */
function LogRows(props: {
  log: Pick<LogEvents, 'events' | 'view' | 'fresh'>;
  times: LogTimes;
  selected: LogEvent | null;
  onSelect: (event: LogEvent | null) => void;
}) {
  const { events, view, fresh } = props.log;
  if (events === null) return <EmptyRow text="Loading…" />;
  if (events.length === 0) return <EmptyRow text="Nothing matches these filters." />;
  const now = Date.now();
  return (
    <>
      {view.padTop > 0 && <SpacerRow height={view.padTop} />}
      {events.slice(view.start, view.end).map((e, i) => (
        <LogRow
          key={e.seq}
          event={e}
          index={view.start + i + 1}
          time={props.times.short(e.ts, now)}
          fresh={fresh.has(e.seq)}
          open={props.selected?.seq === e.seq}
          onToggle={() => props.onSelect(props.selected?.seq === e.seq ? null : e)}
        />
      ))}
      {view.padBottom > 0 && <SpacerRow height={view.padBottom} />}
    </>
  );
}

function EmptyRow({ text }: { text: string }) {
  return (
    <tr>
      <td colSpan={3} className="log-table__empty">
        {text}
      </td>
    </tr>
  );
}

function SpacerRow({ height }: { height: number }) {
  return (
    <tr className="log-spacer" aria-hidden="true" style={{ height }}>
      <td colSpan={3} />
    </tr>
  );
}

function LogRow(props: {
  event: LogEvent;
  index: number;
  time: string;
  fresh: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  const { event: e } = props;
  const sentence = logSentence(e);
  return (
    <tr
      className={`log-row log-row--${e.level}${props.fresh ? ' log-row--new' : ''}${props.open ? ' log-row--open' : ''}`}
      data-type={e.type}
      data-level={e.level}
      aria-rowindex={props.index}
      aria-selected={props.open}
      tabIndex={0}
      onClick={props.onToggle}
      onKeyDown={(key) => {
        if (key.key === 'Enter' || key.key === ' ') {
          key.preventDefault();
          props.onToggle();
        }
      }}
    >
      <td className="log-row__time">
        <time dateTime={new Date(e.ts).toISOString()}>{props.time}</time>
      </td>
      <td>
        {/* Most entries are plain information: only the others carry a level. */}
        {e.level !== 'info' && <span className={`level level--${e.level}`}>{LEVEL_WORDS[e.level]}</span>}
      </td>
      <td className="log-row__message" title={sentence}>
        {sentence}
      </td>
    </tr>
  );
}

/** How much is loaded and whether more is coming, under the list. */
function LogFoot(props: { events: LogEvent[] | null; loadingMore: boolean; more: boolean; live: boolean }) {
  const { events } = props;
  const loaded = events === null ? '' : number.format(events.length);
  return (
    <div className="log-foot" role="status">
      {events === null || events.length === 0
        ? ''
        : props.loadingMore
          ? `${loaded} entries loaded · loading older ones…`
          : props.more
            ? `${loaded} entries loaded · scroll down for older ones`
            : `All ${loaded} ${events.length === 1 ? 'entry' : 'entries'} shown`}
      {props.live && events !== null && (
        <span className="log-foot__live"> · new entries appear at the top</span>
      )}
    </div>
  );
}
