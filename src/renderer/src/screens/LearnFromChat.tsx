import { useCallback, useEffect, useState } from 'react';
import type { LearnSuggestion } from '../../../shared/contract';
import type { Faq } from '../../../shared/dto';
import { errorMessage } from '../client/client';
import { useApp, useEvent } from '../state/app-context';
import './learn.css';

/**
 * Under a chat the owner answered by hand after the bot handed it over: keep the customer's question,
 * as another way of asking the closest FAQ (or one the owner picks), or as a new FAQ with the owner's
 * own reply as its answer. Next time the bot answers it.
 */
export function LearnFromChat(props: { workspaceId: string; chatId: string; lastMessageAt: number | null }) {
  const { client } = useApp();
  const { workspaceId, chatId, lastMessageAt } = props;
  const [suggestion, setSuggestion] = useState<LearnSuggestion | null>(null);
  const [mode, setMode] = useState<'offer' | 'pick' | 'new'>('offer');
  const [faqs, setFaqs] = useState<Faq[]>([]);
  const [faqId, setFaqId] = useState('');
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const found = await client.invoke('learn.suggest', { workspaceId, chatId });
      setSuggestion(found);
      if (found !== null) {
        setQuestion(found.question);
        setAnswer(found.ownerAnswer ?? '');
        setFaqId(found.closest?.faqId ?? '');
      }
    } catch {
      setSuggestion(null); // an offer that cannot load is simply not shown
    }
  }, [client, workspaceId, chatId]);

  useEffect(() => {
    setDone(null);
    setMode('offer');
    void load();
  }, [load, lastMessageAt]);
  useEvent('faq.changed', (e) => {
    if (e.workspaceId === workspaceId) void load();
  });

  if (suggestion === null) {
    return done === null ? null : (
      <p className="learn learn--done notice" role="status">
        {done}
      </p>
    );
  }

  const save = async (
    action: { type: 'add-phrasing'; faqId: string } | { type: 'new-faq'; answer: string },
  ) => {
    setBusy(true);
    setError(null);
    try {
      await client.invoke('learn.save', { workspaceId, chatId, question, action });
      setDone(
        action.type === 'add-phrasing'
          ? `Saved. The bot now answers “${question}” with that FAQ.`
          : `Saved as a new FAQ. The bot answers it from now on.`,
      );
      setSuggestion(null);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const pickAnother = async () => {
    setMode('pick');
    if (faqs.length === 0) setFaqs(await client.invoke('faq.list', { workspaceId, includeDisabled: false }));
  };

  return (
    <section className="learn" aria-label="Teach the bot">
      <p className="learn__title">
        <strong>Teach the bot</strong> · you answered “{suggestion.question}” yourself
      </p>
      {mode === 'offer' && (
        <div className="learn__actions">
          {suggestion.closest !== null && (
            <button
              type="button"
              className="button button--primary button--small"
              disabled={busy}
              onClick={() => void save({ type: 'add-phrasing', faqId: suggestion.closest!.faqId })}
            >
              Save this question as a phrasing of “{suggestion.closest.question}”
            </button>
          )}
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => void pickAnother()}
          >
            {suggestion.closest === null ? 'Add it to an FAQ…' : 'Another FAQ…'}
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => setMode('new')}
          >
            Make it a new FAQ
          </button>
        </div>
      )}
      {mode === 'pick' && (
        <form
          className="learn__form"
          onSubmit={(e) => {
            e.preventDefault();
            if (faqId !== '') void save({ type: 'add-phrasing', faqId });
          }}
        >
          <label className="field__label" htmlFor={`learn-faq-${chatId}`}>
            Which FAQ answers it?
          </label>
          <select
            id={`learn-faq-${chatId}`}
            className="input"
            value={faqId}
            onChange={(e) => setFaqId(e.target.value)}
          >
            <option value="">Choose an FAQ…</option>
            {faqs.map((f) => (
              <option key={f.id} value={f.id}>
                {f.question}
              </option>
            ))}
          </select>
          <div className="learn__actions">
            <button
              type="submit"
              className="button button--primary button--small"
              disabled={busy || faqId === ''}
            >
              Save as a phrasing
            </button>
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => setMode('offer')}
            >
              Back
            </button>
          </div>
        </form>
      )}
      {mode === 'new' && (
        <form
          className="learn__form"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ type: 'new-faq', answer });
          }}
        >
          <label className="field__label" htmlFor={`learn-q-${chatId}`}>
            Question
          </label>
          <input
            id={`learn-q-${chatId}`}
            className="input"
            value={question}
            maxLength={300}
            onChange={(e) => setQuestion(e.target.value)}
          />
          <label className="field__label" htmlFor={`learn-a-${chatId}`}>
            Answer the bot will send
          </label>
          <textarea
            id={`learn-a-${chatId}`}
            className="input"
            rows={3}
            maxLength={4000}
            value={answer}
            onChange={(e) => setAnswer(e.target.value)}
          />
          <div className="learn__actions">
            <button
              type="submit"
              className="button button--primary button--small"
              disabled={busy || question.trim() === '' || answer.trim() === ''}
            >
              Save new FAQ
            </button>
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => setMode('offer')}
            >
              Back
            </button>
          </div>
        </form>
      )}
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
