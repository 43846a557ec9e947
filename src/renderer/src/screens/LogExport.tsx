import { useEffect, useRef, useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import { errorMessage } from '../client/client';
import { downloadFile } from '../download';
import { useApp } from '../state/app-context';

type Format = 'csv' | 'jsonl';
export type ExportFilter = Omit<CommandInput<'log.export'>, 'format' | 'cursor' | 'pageSize'>;

const PAGE_SIZE = 1000;
const number = new Intl.NumberFormat();

type Progress =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number | null }
  | { state: 'done'; count: number; filename: string; format: Format }
  | { state: 'failed'; message: string };

/** Fetches every page of the export, joined into one file in the browser, and saves it. */
function useLogExport(filter: ExportFilter, format: Format) {
  const { client } = useApp();
  const [progress, setProgress] = useState<Progress>({ state: 'idle' });
  const cancelled = useRef(false);

  // Leaving the screen stops an export in progress.
  useEffect(
    () => () => {
      cancelled.current = true;
    },
    [],
  );

  const start = async () => {
    cancelled.current = false;
    setProgress({ state: 'running', done: 0, total: null });
    // Excel reads a CSV as UTF-8 only when it starts with a byte-order mark (₦, names with accents).
    const parts: string[] = format === 'csv' ? ['\uFEFF'] : [];
    let cursor: string | undefined;
    let done = 0;
    let total: number | null = null;
    let filename = '';
    try {
      do {
        const page = await client.invoke('log.export', {
          ...filter,
          format,
          pageSize: PAGE_SIZE,
          ...(cursor !== undefined && { cursor }),
        });
        if (cancelled.current) {
          setProgress({ state: 'idle' });
          return;
        }
        parts.push(page.text);
        done += page.count;
        total ??= page.total;
        filename = page.filename;
        cursor = page.cursor ?? undefined;
        setProgress({ state: 'running', done, total });
      } while (cursor !== undefined);
    } catch (failure) {
      setProgress({ state: 'failed', message: errorMessage(failure) });
      return;
    }
    downloadFile(
      parts,
      format === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson;charset=utf-8',
      filename,
    );
    setProgress({ state: 'done', count: done, filename, format });
  };
  const stop = () => {
    cancelled.current = true;
  };
  return { progress, start, stop };
}

/**
 * The log as a CSV or JSON-lines file: everything the filters match, fetched page by page (100k entries
 * never travel as one message), with a progress bar and a way to stop. The pages are joined into one
 * file in the browser and saved with the name the core chose.
 */
export function LogExport(props: { filter: ExportFilter; summary: string; onClose: () => void }) {
  const [format, setFormat] = useState<Format>('csv');
  const { progress, start, stop } = useLogExport(props.filter, format);
  return (
    <section className="card log-export" aria-label="Export the log">
      <div className="log-export__head">
        <div>
          <h2 className="card__title card__title--small">Export the log</h2>
          <p className="muted small">Everything that matches: {props.summary}. Newest first.</p>
        </div>
        <button
          className="button button--ghost button--small"
          type="button"
          onClick={() => {
            stop();
            props.onClose();
          }}
        >
          Close
        </button>
      </div>
      <fieldset className="log-export__formats" disabled={progress.state === 'running'}>
        <legend className="visually-hidden">File format</legend>
        {FORMATS.map((f) => (
          <FormatChoice key={f.value} {...f} format={format} onFormat={setFormat} />
        ))}
      </fieldset>
      <div className="log-export__actions">
        {progress.state === 'running' ? (
          <>
            <ExportProgress done={progress.done} total={progress.total} />
            <button className="button button--ghost" type="button" onClick={stop}>
              Stop
            </button>
          </>
        ) : (
          <>
            <ExportResult progress={progress} />
            <button className="button button--primary" type="button" onClick={() => void start()}>
              Download {format === 'csv' ? 'CSV' : 'JSON lines'}
            </button>
          </>
        )}
      </div>
    </section>
  );
}

const FORMATS: readonly { value: Format; title: string; text: string }[] = [
  { value: 'csv', title: 'CSV', text: 'Opens in Excel or Google Sheets.' },
  { value: 'jsonl', title: 'JSON lines', text: 'One entry per line, with every detail, for support tools.' },
];

function FormatChoice(props: {
  value: Format;
  title: string;
  text: string;
  format: Format;
  onFormat: (format: Format) => void;
}) {
  const on = props.format === props.value;
  return (
    <label className={`choice choice--compact${on ? ' choice--active' : ''}`}>
      <input type="radio" name="export-format" checked={on} onChange={() => props.onFormat(props.value)} />
      <span className="choice__title">{props.title}</span>
      <span className="choice__text">{props.text}</span>
    </label>
  );
}

function ExportProgress({ done, total }: { done: number; total: number | null }) {
  const percent = total !== null && total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="log-export__progress">
      <span
        className="meter"
        role="progressbar"
        aria-label="Export progress"
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={done}
      >
        <span className="meter__fill" style={{ width: `${percent}%` }} />
      </span>
      <span className="muted small" role="status">
        {total === null ? 'Counting entries…' : `${number.format(done)} of ${number.format(total)} entries`}
      </span>
    </div>
  );
}

/** What the last export saved, or why it failed. */
function ExportResult({ progress }: { progress: Progress }) {
  if (progress.state === 'done') {
    return (
      <span className="saved" role="status">
        {progress.count === 0
          ? `Nothing matched: ${progress.format === 'csv' ? 'the file has the column names only' : 'the file is empty'}.`
          : `Saved ${progress.filename} (${number.format(progress.count)} ${progress.count === 1 ? 'entry' : 'entries'})`}
      </span>
    );
  }
  if (progress.state === 'failed') {
    return (
      <span className="field__error" role="alert">
        {progress.message}
      </span>
    );
  }
  return null;
}
