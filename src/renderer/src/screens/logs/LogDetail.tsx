import { useEffect, useRef } from 'react';
import type { LogEvent } from '../../../../shared/contract';
import { logSentence } from '../../../../shared/log-sentence';
import { formatPhone } from '../../format';
import { LEVEL_WORDS } from '../log-view';

/**
 * One entry in full, beside the list (rows are one line each, so details open here): the sentence and
 * its time first; the codes, the core's own message and the data behind "Details".
 */
export function LogDetail({ event, time, onClose }: { event: LogEvent; time: string; onClose: () => void }) {
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
