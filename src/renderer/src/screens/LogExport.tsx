import { useEffect, useRef, useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import { errorMessage } from '../client/client';
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

/**
 * Exports what the Logs screen's filters match, page by page through `log.export` (so 100k entries
 * never travel as one message), with a progress bar and a way to stop. The pages are joined into one
 * file in the browser and saved with the name the core chose.
 */
export function LogExport(props: { filter: ExportFilter; summary: string; onClose: () => void }) {
  const { client } = useApp();
  const [format, setFormat] = useState<Format>('csv');
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
          ...props.filter,
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
    const type = format === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson;charset=utf-8';
    const url = URL.createObjectURL(new Blob(parts, { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setProgress({ state: 'done', count: done, filename, format });
  };

  const running = progress.state === 'running';
  const percent =
    progress.state === 'running' && progress.total !== null && progress.total > 0
      ? Math.min(100, Math.round((progress.done / progress.total) * 100))
      : 0;

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
            cancelled.current = true;
            props.onClose();
          }}
        >
          Close
        </button>
      </div>
      <fieldset className="log-export__formats" disabled={running}>
        <legend className="visually-hidden">File format</legend>
        <label className={`choice choice--compact${format === 'csv' ? ' choice--active' : ''}`}>
          <input
            type="radio"
            name="export-format"
            checked={format === 'csv'}
            onChange={() => setFormat('csv')}
          />
          <span className="choice__title">CSV</span>
          <span className="choice__text">Opens in Excel or Google Sheets.</span>
        </label>
        <label className={`choice choice--compact${format === 'jsonl' ? ' choice--active' : ''}`}>
          <input
            type="radio"
            name="export-format"
            checked={format === 'jsonl'}
            onChange={() => setFormat('jsonl')}
          />
          <span className="choice__title">JSON lines</span>
          <span className="choice__text">One entry per line, with every detail, for support tools.</span>
        </label>
      </fieldset>
      <div className="log-export__actions">
        {running ? (
          <>
            <div className="log-export__progress">
              <span
                className="meter"
                role="progressbar"
                aria-label="Export progress"
                aria-valuemin={0}
                aria-valuemax={progress.total ?? undefined}
                aria-valuenow={progress.done}
              >
                <span className="meter__fill" style={{ width: `${percent}%` }} />
              </span>
              <span className="muted small" role="status">
                {progress.total === null
                  ? 'Counting entries…'
                  : `${number.format(progress.done)} of ${number.format(progress.total)} entries`}
              </span>
            </div>
            <button
              className="button button--ghost"
              type="button"
              onClick={() => {
                cancelled.current = true;
              }}
            >
              Stop
            </button>
          </>
        ) : (
          <>
            {progress.state === 'done' && (
              <span className="saved" role="status">
                {progress.count === 0
                  ? `Nothing matched: ${progress.format === 'csv' ? 'the file has the column names only' : 'the file is empty'}.`
                  : `Saved ${progress.filename} (${number.format(progress.count)} ${progress.count === 1 ? 'entry' : 'entries'})`}
              </span>
            )}
            {progress.state === 'failed' && (
              <span className="field__error" role="alert">
                {progress.message}
              </span>
            )}
            <button className="button button--primary" type="button" onClick={() => void start()}>
              Download {format === 'csv' ? 'CSV' : 'JSON lines'}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
