import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Faq } from '../../../shared/dto';
import { errorMessage } from '../client/client';
import { Field } from '../components/Field';
import { FaqAttachmentField } from './FaqAttachment';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Layout';
import { useApp, useEvent, useOnReconnect, useWorkspace } from '../state/app-context';
import { ShopWords } from './FaqSynonyms';
import { CsvButtons, TryMessage } from './FaqTools';
import { useAction } from '../state/use-action';
import { SavedReplies } from './inbox/SavedReplies';

type Editing = { kind: 'new' } | { kind: 'edit'; faq: Faq } | null;

/**
 * The owner's FAQ: list, search, add, edit, switch on/off, delete, "try a message", CSV import and
 * export. The editor is its own component so other screens can reuse it.
 */
export function Faqs() {
  const { client } = useApp();
  const workspace = useWorkspace();
  const [faqs, setFaqs] = useState<Faq[] | null>(null);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<string | null>(null);
  const [trying, setTrying] = useState(false);
  const [wording, setWording] = useState(false);
  const [tab, setTab] = useState<'faqs' | 'saved'>('faqs');

  const load = useCallback(async () => {
    try {
      setFaqs(await client.invoke('faq.list', { workspaceId: workspace.id }));
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [client, workspace.id]);

  useEffect(() => {
    setFaqs(null);
    setEditing(null);
    void load();
  }, [load]);
  useOnReconnect(() => void load());
  useEvent('faq.changed', (event) => {
    if (event.workspaceId === workspace.id) void load();
  });

  const needle = search.trim().toLocaleLowerCase();
  const shown =
    faqs?.filter(
      (f) =>
        needle === '' ||
        [f.question, f.answer, ...f.phrasings].some((t) => t.toLocaleLowerCase().includes(needle)),
    ) ?? [];
  const enabledCount = faqs?.filter((f) => f.enabled).length ?? 0;

  return (
    <>
      <PageHeader
        title="FAQs"
        subtitle="The questions customers ask most, with your answers. Switchboard replies with them word for word."
        actions={
          tab === 'faqs' && (
            <>
              <button
                className="button button--secondary"
                type="button"
                aria-pressed={trying}
                onClick={() => setTrying((t) => !t)}
              >
                <Icon name="message" size={18} /> Try a message
              </button>
              <button
                className="button button--secondary"
                type="button"
                aria-pressed={wording}
                onClick={() => setWording((w) => !w)}
              >
                Same words
              </button>
              <button
                className="button button--primary"
                type="button"
                onClick={() => setEditing({ kind: 'new' })}
              >
                <Icon name="plus" size={18} /> New FAQ
              </button>
            </>
          )
        }
      />
      <div className="faq-tabs" role="tablist" aria-label="Answers">
        <button
          type="button"
          role="tab"
          className="faq-tabs__tab"
          aria-selected={tab === 'faqs'}
          onClick={() => setTab('faqs')}
        >
          FAQs
        </button>
        <button
          type="button"
          role="tab"
          className="faq-tabs__tab"
          aria-selected={tab === 'saved'}
          onClick={() => setTab('saved')}
        >
          Saved replies
        </button>
      </div>
      {tab === 'saved' ? (
        <SavedReplies workspaceId={workspace.id} />
      ) : (
        <>
          {error !== null && (
            <p className="notice notice--problem" role="alert">
              {error}
            </p>
          )}
          {trying && <TryMessage workspaceId={workspace.id} />}
          {wording && <ShopWords />}
          {editing !== null && (
            <FaqEditor
              key={editing.kind === 'edit' ? editing.faq.id : 'new'}
              workspaceId={workspace.id}
              faq={editing.kind === 'edit' ? editing.faq : null}
              onDone={() => setEditing(null)}
            />
          )}
          <div className="toolbar">
            <label className="search">
              <Icon name="search" size={18} />
              <input
                className="search__input"
                type="search"
                placeholder="Search questions and answers"
                aria-label="Search FAQs"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
            </label>
            {faqs !== null && (
              <span className="muted toolbar__count">
                {faqs.length} FAQ{faqs.length === 1 ? '' : 's'} · {enabledCount} on
              </span>
            )}
            <CsvButtons workspaceId={workspace.id} />
          </div>
          {faqs === null ? (
            <div className="card card--skeleton" />
          ) : faqs.length === 0 ? (
            <div className="empty card">
              <span className="empty__icon" aria-hidden="true">
                <Icon name="faq" size={28} />
              </span>
              <p className="empty__title">No FAQs yet</p>
              <p className="muted">
                Start with what customers ask every day: opening hours, delivery, prices, how to pay.
              </p>
              <button
                className="button button--primary"
                type="button"
                onClick={() => setEditing({ kind: 'new' })}
              >
                Write your first FAQ
              </button>
            </div>
          ) : shown.length === 0 ? (
            <p className="muted empty-line">No FAQ matches &ldquo;{search}&rdquo;.</p>
          ) : (
            <ul className="faq-list">
              {shown.map((faq) => (
                <FaqItem key={faq.id} faq={faq} onEdit={() => setEditing({ kind: 'edit', faq })} />
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function FaqItem({ faq, onEdit }: { faq: Faq; onEdit: () => void }) {
  const { client } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Switching on/off shows at once; a refusal puts it back.
  const [enabled, setEnabled] = useState(faq.enabled);
  useEffect(() => setEnabled(faq.enabled), [faq.enabled]);
  const act = (action: () => Promise<unknown>) =>
    action().then(
      () => setError(null),
      (failure: unknown) => {
        setError(errorMessage(failure));
        setEnabled(faq.enabled);
      },
    );
  const ref = { workspaceId: faq.workspaceId, faqId: faq.id };
  const toggle = (next: boolean) => {
    setEnabled(next);
    void act(() => client.invoke('faq.update', { ...ref, patch: { enabled: next } }));
  };
  return (
    <li className={`faq${enabled ? '' : ' faq--off'}`} aria-label={faq.question}>
      <div className="faq__body">
        <p className="faq__question">{faq.question}</p>
        <p className="faq__answer">{faq.answer}</p>
        {faq.phrasings.length > 0 && (
          <p className="faq__phrasings">
            Also matches:{' '}
            {faq.phrasings.slice(0, 3).map((p) => (
              <span key={p} className="chip">
                {p}
              </span>
            ))}
            {faq.phrasings.length > 3 && <span className="muted"> +{faq.phrasings.length - 3} more</span>}
          </p>
        )}
        {error !== null && <p className="field__error">{error}</p>}
      </div>
      <div className="faq__side">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={enabled}
            aria-label="Use this FAQ"
            onChange={(e) => toggle(e.target.checked)}
          />
          <span className="switch__track" aria-hidden="true" />
          <span className="switch__label">{enabled ? 'On' : 'Off'}</span>
        </label>
        <div className="faq__actions">
          {confirming ? (
            <span className="confirm">
              Delete?{' '}
              <button
                className="button button--danger button--small"
                type="button"
                onClick={() => void act(() => client.invoke('faq.delete', ref))}
              >
                Yes, delete
              </button>
              <button
                className="button button--ghost button--small"
                type="button"
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
            </span>
          ) : (
            <>
              <button className="button button--ghost button--small" type="button" onClick={onEdit}>
                <Icon name="edit" size={16} /> Edit
              </button>
              <button
                className="button button--ghost button--small"
                type="button"
                onClick={() => setConfirming(true)}
              >
                <Icon name="trash" size={16} /> Delete
              </button>
            </>
          )}
        </div>
      </div>
    </li>
  );
}

const MAX_ANSWER = 4000;

export function FaqEditor(props: { workspaceId: string; faq: Faq | null; onDone: () => void }) {
  const { client } = useApp();
  const [question, setQuestion] = useState(props.faq?.question ?? '');
  const [phrasings, setPhrasings] = useState(props.faq?.phrasings.join('\n') ?? '');
  const [answer, setAnswer] = useState(props.faq?.answer ?? '');
  const [enabled, setEnabled] = useState(props.faq?.enabled ?? true);
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = {
      question,
      answer,
      enabled,
      phrasings: phrasings
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    };
    await run(async () => {
      if (props.faq === null)
        await client.invoke('faq.create', { workspaceId: props.workspaceId, ...fields });
      else
        await client.invoke('faq.update', {
          workspaceId: props.workspaceId,
          faqId: props.faq.id,
          patch: fields,
        });
      props.onDone();
    });
  };

  return (
    <form
      className="card form editor"
      onSubmit={(e) => void submit(e)}
      aria-label={props.faq === null ? 'New FAQ' : 'Edit FAQ'}
    >
      <h2 className="card__title card__title--small">{props.faq === null ? 'New FAQ' : 'Edit FAQ'}</h2>
      <Field label="Question">
        {(control) => (
          <input
            {...control}
            className="input"
            name="question"
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
            placeholder="e.g. What time do you open?"
            maxLength={300}
            required
            autoFocus
          />
        )}
      </Field>
      <Field
        label="Other ways customers ask it"
        hint="One per line. The more ways you add, the more questions get answered."
      >
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            name="phrasings"
            rows={3}
            value={phrasings}
            onChange={(e) => setPhrasings(e.target.value)}
            placeholder={'When do you open?\nAre you open on Sunday?\nOpening hours'}
          />
        )}
      </Field>
      <Field label="Answer" hint={`${answer.length} / ${MAX_ANSWER} characters`}>
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            name="answer"
            rows={4}
            value={answer}
            onChange={(e) => setAnswer(e.target.value)}
            placeholder="e.g. We are open Monday to Saturday, 8am to 6pm."
            maxLength={MAX_ANSWER}
            required
          />
        )}
      </Field>
      <FaqAttachmentField workspaceId={props.workspaceId} faqId={props.faq?.id ?? null} />
      <label className="checkbox">
        <input
          type="checkbox"
          name="enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        Use this FAQ to answer customers
      </label>
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button className="button button--ghost" type="button" onClick={props.onDone}>
          Cancel
        </button>
        <button className="button button--primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : props.faq === null ? 'Add FAQ' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
