import { useCallback, useEffect, useState } from 'react';
import type { LearnSuggestion } from '../../../shared/contract';
import type { Faq } from '../../../shared/dto';
import { FormError, SubmitAndBack } from '../components/Field';
import { useApp, useEvent } from '../state/app-context';
import { useAction } from '../state/use-action';
import './learn.css';

type Mode = 'offer' | 'pick' | 'new';
type LearnAction = { type: 'add-phrasing'; faqId: string } | { type: 'new-faq'; answer: string };

/** The chat's suggestion, read again when the chat or the FAQs change, and its save. */
function useLearn(workspaceId: string, chatId: string, lastMessageAt: number | null) {
  const { client } = useApp();
  const [suggestion, setSuggestion] = useState<LearnSuggestion | null>(null);
  const [mode, setMode] = useState<Mode>('offer');
  const [faqId, setFaqId] = useState('');
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();

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

  const save = (action: LearnAction) =>
    run(async () => {
      await client.invoke('learn.save', { workspaceId, chatId, question, action });
      setDone(
        action.type === 'add-phrasing'
          ? `Saved. The bot now answers “${question}” with that FAQ.`
          : `Saved as a new FAQ. The bot answers it from now on.`,
      );
      setSuggestion(null);
    });
  return {
    suggestion,
    mode,
    setMode,
    faqId,
    setFaqId,
    question,
    setQuestion,
    answer,
    setAnswer,
    done,
    busy,
    error,
    save,
  };
}

type Learn = ReturnType<typeof useLearn>;

/**
 * Under a chat the owner answered by hand after the bot handed it over: keep the customer's question,
 * as another way of asking the closest FAQ (or one the owner picks), or as a new FAQ with the owner's
 * own reply as its answer. Next time the bot answers it.
 */
export function LearnFromChat(props: { workspaceId: string; chatId: string; lastMessageAt: number | null }) {
  const { client } = useApp();
  const learn = useLearn(props.workspaceId, props.chatId, props.lastMessageAt);
  const [faqs, setFaqs] = useState<Faq[]>([]);
  const { suggestion, mode } = learn;

  if (suggestion === null) {
    return learn.done === null ? null : (
      <p className="learn learn--done notice" role="status">
        {learn.done}
      </p>
    );
  }
  const pickAnother = async () => {
    learn.setMode('pick');
    if (faqs.length === 0) {
      setFaqs(await client.invoke('faq.list', { workspaceId: props.workspaceId, includeDisabled: false }));
    }
  };

  return (
    <section className="learn" aria-label="Teach the bot">
      <p className="learn__title">
        <strong>Teach the bot</strong> · you answered “{suggestion.question}” yourself
      </p>
      {mode === 'offer' && (
        <LearnOffer learn={learn} suggestion={suggestion} onPick={() => void pickAnother()} />
      )}
      {mode === 'pick' && <PickFaqForm learn={learn} faqs={faqs} chatId={props.chatId} />}
      {mode === 'new' && <NewFaqForm learn={learn} chatId={props.chatId} />}
      <FormError error={learn.error} />
    </section>
  );
}

function LearnOffer(props: { learn: Learn; suggestion: LearnSuggestion; onPick: () => void }) {
  const { learn, suggestion } = props;
  const { busy } = learn;
  return (
    <div className="learn__actions">
      {suggestion.closest !== null && (
        <button
          type="button"
          className="button button--primary button--small"
          disabled={busy}
          onClick={() => void learn.save({ type: 'add-phrasing', faqId: suggestion.closest!.faqId })}
        >
          Save this question as a phrasing of “{suggestion.closest.question}”
        </button>
      )}
      <button type="button" className="button button--small" disabled={busy} onClick={props.onPick}>
        {suggestion.closest === null ? 'Add it to an FAQ…' : 'Another FAQ…'}
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={() => learn.setMode('new')}
      >
        Make it a new FAQ
      </button>
    </div>
  );
}

function PickFaqForm({ learn, faqs, chatId }: { learn: Learn; faqs: Faq[]; chatId: string }) {
  return (
    <form
      className="learn__form"
      onSubmit={(e) => {
        e.preventDefault();
        if (learn.faqId !== '') void learn.save({ type: 'add-phrasing', faqId: learn.faqId });
      }}
    >
      <label className="field__label" htmlFor={`learn-faq-${chatId}`}>
        Which FAQ answers it?
      </label>
      <select
        id={`learn-faq-${chatId}`}
        className="input"
        value={learn.faqId}
        onChange={(e) => learn.setFaqId(e.target.value)}
      >
        <option value="">Choose an FAQ…</option>
        {faqs.map((f) => (
          <option key={f.id} value={f.id}>
            {f.question}
          </option>
        ))}
      </select>
      <SubmitAndBack
        className="learn__actions"
        submit="Save as a phrasing"
        disabled={learn.busy || learn.faqId === ''}
        back="Back"
        onBack={() => learn.setMode('offer')}
      />
    </form>
  );
}

function NewFaqForm({ learn, chatId }: { learn: Learn; chatId: string }) {
  return (
    <form
      className="learn__form"
      onSubmit={(e) => {
        e.preventDefault();
        void learn.save({ type: 'new-faq', answer: learn.answer });
      }}
    >
      <label className="field__label" htmlFor={`learn-q-${chatId}`}>
        Question
      </label>
      <input
        id={`learn-q-${chatId}`}
        className="input"
        value={learn.question}
        maxLength={300}
        onChange={(e) => learn.setQuestion(e.target.value)}
      />
      <label className="field__label" htmlFor={`learn-a-${chatId}`}>
        Answer the bot will send
      </label>
      <textarea
        id={`learn-a-${chatId}`}
        className="input"
        rows={3}
        maxLength={4000}
        value={learn.answer}
        onChange={(e) => learn.setAnswer(e.target.value)}
      />
      <SubmitAndBack
        className="learn__actions"
        submit="Save new FAQ"
        disabled={learn.busy || learn.question.trim() === '' || learn.answer.trim() === ''}
        back="Back"
        onBack={() => learn.setMode('offer')}
      />
    </form>
  );
}
