import { useRef, useState, type FormEvent } from 'react';
import type { FaqImportResult, FaqTryResult } from '../../../shared/contract';
import { errorMessage } from '../client/client';
import { FormError } from '../components/Field';
import { Icon } from '../components/Icon';
import { SearchBox } from '../components/SearchBox';
import { downloadFile } from '../download';
import { useApp, useEvent } from '../state/app-context';
import { attempt } from '../state/attempt';

const MAX_CSV_BYTES = 1_000_000;

/** "Try a message": what the bot would make of a customer's text, with the words that carried it. */
export function TryMessage({ workspaceId }: { workspaceId: string }) {
  const { client } = useApp();
  const [text, setText] = useState('');
  const [result, setResult] = useState<FaqTryResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') return;
    await attempt(async () => setResult(await client.invoke('faq.try', { workspaceId, text })), setError);
  };

  return (
    <section className="card try" aria-label="Try a message">
      <form className="try__form" onSubmit={(e) => void submit(e)}>
        <SearchBox
          icon="message"
          className="try__input"
          placeholder="Type what a customer might write, e.g. una dey open sunday?"
          aria-label="Customer message to try"
          value={text}
          maxLength={1000}
          onChange={(e) => setText(e.target.value)}
        />
        <button className="button button--secondary" type="submit" disabled={text.trim() === ''}>
          Try it
        </button>
      </form>
      {error !== null && <p className="field__error">{error}</p>}
      {result !== null && (
        <div className="try__result" aria-live="polite">
          {result.matches.length === 0 ? (
            <p className="muted">No FAQ shares a word with this message: the chat would go to you.</p>
          ) : (
            <TryMatches result={result} />
          )}
        </div>
      )}
    </section>
  );
}

/** The verdict, how the message was read, and each FAQ it came near with how near and why. */
function TryMatches({ result }: { result: FaqTryResult }) {
  // How the message was read (Pidgin, chat spellings) is the same for every match: said once.
  const shared = result.matches.reduce<string[]>(
    (common, m, i) => (i === 0 ? m.notes : common.filter((n) => m.notes.includes(n))),
    [],
  );
  const best = result.matches[0]!;
  const threshold = Math.round(result.threshold * 100);
  return (
    <>
      <p className="try__verdict">
        {best.wouldAnswer ? (
          <>
            <Icon name="check" size={16} /> The bot would answer with &ldquo;
            {best.question}&rdquo;
          </>
        ) : (
          <>
            <Icon name="alert" size={16} /> Not sure enough (needs {threshold}%): the chat would go to you
          </>
        )}
      </p>
      {shared.length > 0 && <p className="try__notes muted">Read as: {shared.join(' · ')}</p>}
      <ol className="try__matches">
        {result.matches.map((m) => (
          <TryMatch key={m.faqId} match={m} threshold={threshold} shared={shared} />
        ))}
      </ol>
    </>
  );
}

function TryMatch(props: { match: FaqTryResult['matches'][number]; threshold: number; shared: string[] }) {
  const { match: m, shared } = props;
  const percent = Math.round(m.confidence * 100);
  return (
    <li className={`try__match${m.wouldAnswer ? ' try__match--yes' : ''}`}>
      <div className="try__head">
        <span className="try__question">{m.question}</span>
        <span className="try__percent">{percent}%</span>
      </div>
      <div
        className="meter"
        role="meter"
        aria-label={`Confidence for ${m.question}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <span className="meter__fill" style={{ width: `${percent}%` }} />
        <span
          className="meter__mark"
          style={{ left: `${props.threshold}%` }}
          title="The bot answers above this line"
        />
      </div>
      <p className="try__why muted">
        Closest to &ldquo;{m.matchedPhrasing}&rdquo;
        {m.words.length > 0 && (
          <>
            {' '}
            because of{' '}
            {m.words.map((w) => (
              <span key={w} className="chip chip--word">
                {w}
              </span>
            ))}
          </>
        )}
      </p>
      {m.notes.some((n) => !shared.includes(n)) && (
        <p className="try__notes muted">{m.notes.filter((n) => !shared.includes(n)).join(' · ')}</p>
      )}
    </li>
  );
}

/** A CSV file read into the FAQ list, with the core's progress events while it runs. */
function useCsvImport(workspaceId: string) {
  const { client } = useApp();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<FaqImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEvent('faq.importProgressed', (event) => {
    if (event.workspaceId === workspaceId && busy) setProgress({ done: event.done, total: event.total });
  });

  const importFile = async (file: File) => {
    setResult(null);
    setError(null);
    if (file.size > MAX_CSV_BYTES) {
      setError(`${file.name} is too big (at most 1 MB).`);
      return;
    }
    setBusy(true);
    setProgress({ done: 0, total: 0 });
    try {
      const outcome = await client.invoke('faq.importCsv', { workspaceId, csv: await file.text() });
      setResult(outcome);
      setProgress({ done: outcome.created + outcome.updated, total: outcome.created + outcome.updated });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const exportCsv = async () => {
    try {
      const { csv, filename } = await client.invoke('faq.exportCsv', { workspaceId });
      downloadFile([csv], 'text/csv;charset=utf-8', filename);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  return { progress, busy, result, setResult, error, importFile, exportCsv };
}

/** Import (with progress and the rows left out) and export of the FAQ list as CSV. */
export function CsvButtons({ workspaceId }: { workspaceId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const csv = useCsvImport(workspaceId);
  const { busy, progress, result, error } = csv;
  return (
    <>
      <div className="csv-buttons">
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv"
          hidden
          aria-label="CSV file to import"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file !== undefined) void csv.importFile(file);
          }}
        />
        <button
          className="button button--ghost button--small"
          type="button"
          disabled={busy}
          onClick={() => input.current?.click()}
        >
          Import CSV
        </button>
        <button
          className="button button--ghost button--small"
          type="button"
          onClick={() => void csv.exportCsv()}
        >
          Export CSV
        </button>
      </div>
      {(busy || result !== null || error !== null) && (
        <section className="card import" aria-label="CSV import">
          {busy && progress !== null && (
            <>
              <p>Importing… {progress.total > 0 && `${progress.done} of ${progress.total} rows`}</p>
              <progress
                className="import__bar"
                max={Math.max(progress.total, 1)}
                value={progress.done}
                aria-label="Import progress"
              />
            </>
          )}
          <FormError error={error} />
          {result !== null && <ImportReport result={result} onClose={() => csv.setResult(null)} />}
        </section>
      )}
    </>
  );
}

/** How many FAQs were added and updated, and each row left out with why. */
function ImportReport({ result, onClose }: { result: FaqImportResult; onClose: () => void }) {
  return (
    <>
      <p className="import__summary">
        <Icon name="check" size={16} /> {result.created} FAQ{result.created === 1 ? '' : 's'} added,{' '}
        {result.updated} updated
        {result.errors.length > 0 &&
          `, ${result.errors.length} row${result.errors.length === 1 ? '' : 's'} skipped`}
      </p>
      {result.errors.length > 0 && (
        <ul className="import__errors" aria-label="Rows not imported">
          {result.errors.map((e) => (
            <li key={`${e.line}:${e.message}`}>
              <strong>Line {e.line}:</strong> {e.message}
            </li>
          ))}
        </ul>
      )}
      <button className="button button--ghost button--small" type="button" onClick={onClose}>
        Close
      </button>
    </>
  );
}
