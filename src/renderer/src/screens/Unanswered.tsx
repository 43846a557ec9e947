import './learn.css';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { UnansweredGroupView } from '../../../shared/contract';
import type { Faq } from '../../../shared/dto';
import { errorMessage } from '../client/client';
import { EmptyState } from '../components/EmptyState';
import { FormError, SubmitAndBack, TextField } from '../components/Field';
import { TextAreaField } from '../components/TextAreaField';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Layout';
import { formatTime } from '../format';
import { useApp, useEvent, useOnReconnect, useWorkspace } from '../state/app-context';
import { useLoader } from './use-loader';

/**
 * What customers asked that no FAQ answered, similar questions grouped: the owner turns a group into
 * phrasings of an FAQ or into a new FAQ (two clicks), or dismisses it.
 */
export function Unanswered() {
  const { client } = useApp();
  const workspace = useWorkspace();
  const [sentNote, setSentNote] = useState<string | null>(null);
  const read = useCallback(async () => {
    const [groups, faqs] = await Promise.all([
      client.invoke('unanswered.list', { workspaceId: workspace.id }),
      client.invoke('faq.list', { workspaceId: workspace.id }),
    ]);
    return { groups, faqs };
  }, [client, workspace.id]);
  const { value, setValue, error, load } = useLoader(read);
  const groups = value?.groups ?? null;
  const faqs = value?.faqs ?? [];

  useEffect(() => {
    setValue(null);
    void load();
  }, [load]);
  useOnReconnect(() => void load());
  useEvent('unanswered.changed', (event) => {
    if (event.workspaceId === workspace.id) void load();
  });
  useEvent('faq.changed', (event) => {
    if (event.workspaceId === workspace.id) void load();
  });

  return (
    <>
      <PageHeader
        title="Unanswered"
        subtitle="Questions the bot was not sure about, so a person had to answer. Teach it once and it answers next time."
      />
      <FormError error={error} />
      {sentNote !== null && (
        <p className="notice learn--done" role="status">
          {sentNote}
        </p>
      )}
      {groups === null ? (
        <div className="card card--skeleton" />
      ) : groups.length === 0 ? (
        <EmptyState icon="check" title="Nothing waiting">
          <p className="muted">When a customer asks something no FAQ covers, it shows up here.</p>
        </EmptyState>
      ) : (
        <ul className="unanswered-list">
          {groups.map((group) => (
            <UnansweredItem
              key={group.key}
              workspaceId={workspace.id}
              group={group}
              faqs={faqs}
              onSent={setSentNote}
            />
          ))}
        </ul>
      )}
    </>
  );
}

type Mode = 'idle' | 'pick' | 'new';
type Resolution =
  | { type: 'add-phrasing'; faqId: string }
  | { type: 'new-faq'; question: string; answer: string }
  | { type: 'dismiss' };

/**
 * Resolves a group; a new FAQ's answer can go at once to the customers who asked and still wait. Busy
 * stays on after success: the group leaves the list when it is read again.
 */
function useResolve(workspaceId: string, group: UnansweredGroupView, onSent: (note: string) => void) {
  const { client } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resolve = async (action: Resolution, sendNow = false) => {
    setBusy(true);
    setError(null);
    try {
      const { faqId } = await client.invoke('unanswered.resolve', { workspaceId, ids: group.ids, action });
      if (action.type === 'new-faq' && sendNow && faqId !== null) {
        const { sent } = await client.invoke('learn.sendAnswer', {
          workspaceId,
          faqId,
          questionIds: group.ids,
        });
        onSent(
          sent === 0
            ? 'FAQ created. Nobody who asked is still waiting, so nothing was sent.'
            : `FAQ created and its answer sent to ${sent} customer${sent === 1 ? '' : 's'} who asked and were still waiting.`,
        );
      }
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };
  return { busy, error, resolve };
}

function UnansweredItem(props: {
  workspaceId: string;
  group: UnansweredGroupView;
  faqs: Faq[];
  onSent: (note: string) => void;
}) {
  const { group } = props;
  const [mode, setMode] = useState<Mode>('idle');
  const { busy, error, resolve } = useResolve(props.workspaceId, group, props.onSent);
  return (
    <li className="unanswered" aria-label={group.representative}>
      <QuestionHead group={group} />
      {mode === 'idle' && (
        <div className="unanswered__actions">
          <button
            className="button button--primary button--small"
            type="button"
            onClick={() => setMode('new')}
          >
            <Icon name="plus" size={16} /> New FAQ
          </button>
          <button
            className="button button--secondary button--small"
            type="button"
            disabled={props.faqs.length === 0}
            onClick={() => setMode('pick')}
          >
            Add to FAQ…
          </button>
          <button
            className="button button--ghost button--small"
            type="button"
            disabled={busy}
            onClick={() => void resolve({ type: 'dismiss' })}
          >
            Dismiss
          </button>
        </div>
      )}
      {mode === 'pick' && (
        <div className="unanswered__actions" role="group" aria-label="Add as another way to ask">
          <span className="muted">Another way to ask:</span>
          {props.faqs.map((faq) => (
            <button
              key={faq.id}
              className="button button--secondary button--small"
              type="button"
              disabled={busy}
              onClick={() => void resolve({ type: 'add-phrasing', faqId: faq.id })}
            >
              {faq.question}
            </button>
          ))}
          <button
            className="button button--ghost button--small"
            type="button"
            onClick={() => setMode('idle')}
          >
            Cancel
          </button>
        </div>
      )}
      {mode === 'new' && (
        <NewFaqForm
          representative={group.representative}
          busy={busy}
          onCreate={(question, answer, sendNow) =>
            void resolve({ type: 'new-faq', question, answer }, sendNow)
          }
          onCancel={() => setMode('idle')}
        />
      )}
      {error !== null && <p className="field__error">{error}</p>}
    </li>
  );
}

/** The question as most asked, how often and when, and the other ways it was put. */
function QuestionHead({ group }: { group: UnansweredGroupView }) {
  const others = group.samples.filter((s) => s.text !== group.representative);
  return (
    <>
      <div className="unanswered__head">
        <p className="unanswered__text">&ldquo;{group.representative}&rdquo;</p>
        <span className="unanswered__count" title="Times asked">
          {group.count}× asked
        </span>
      </div>
      <p className="unanswered__samples">
        Last asked {formatTime(group.lastSeenAt)}
        {others.length > 0 && (
          <>
            {' · also: '}
            {others.map((s) => (
              <span key={s.id} className="chip">
                {s.text}
              </span>
            ))}
          </>
        )}
      </p>
    </>
  );
}

function NewFaqForm(props: {
  representative: string;
  busy: boolean;
  onCreate: (question: string, answer: string, sendNow: boolean) => void;
  onCancel: () => void;
}) {
  const [question, setQuestion] = useState(props.representative.slice(0, 300));
  const [answer, setAnswer] = useState('');
  const [sendNow, setSendNow] = useState(true);
  const createFaq = (event: FormEvent) => {
    event.preventDefault();
    props.onCreate(question, answer, sendNow);
  };
  return (
    <form className="unanswered__form" onSubmit={createFaq} aria-label="New FAQ from this question">
      <TextField label="Question" value={question} maxLength={300} required onValue={setQuestion} />
      <TextAreaField
        label="Answer"
        hint="What the bot sends when someone asks this again."
        rows={3}
        placeholder="e.g. Yes, we have it: ₦18,000."
        value={answer}
        maxLength={4000}
        required
        autoFocus
        onValue={setAnswer}
      />
      <label className="checkbox">
        <input type="checkbox" checked={sendNow} onChange={(e) => setSendNow(e.target.checked)} /> Send this
        answer now to the customers who asked and are still waiting
      </label>
      <SubmitAndBack
        className="unanswered__actions"
        submit={props.busy ? 'Saving…' : 'Create FAQ'}
        disabled={props.busy}
        back="Cancel"
        onBack={props.onCancel}
      />
    </form>
  );
}
