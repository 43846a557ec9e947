import { useState, type FormEvent } from 'react';
import type { Faq } from '../../../../shared/dto';
import { Field, TextField, FormError } from '../../components/Field';
import { useApp } from '../../state/app-context';
import { useAction } from '../../state/use-action';
import { FaqAttachmentField } from '../FaqAttachment';

const MAX_ANSWER = 4000;

/** One line per wording, blank lines dropped. */
const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** Adds an FAQ or edits one: question, other wordings, answer, its file, on/off. */
export function FaqEditor(props: { workspaceId: string; faq: Faq | null; onDone: () => void }) {
  const { client } = useApp();
  const [question, setQuestion] = useState(props.faq?.question ?? '');
  const [phrasings, setPhrasings] = useState(props.faq?.phrasings.join('\n') ?? '');
  const [answer, setAnswer] = useState(props.faq?.answer ?? '');
  const [enabled, setEnabled] = useState(props.faq?.enabled ?? true);
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = { question, answer, enabled, phrasings: linesOf(phrasings) };
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

  const title = props.faq === null ? 'New FAQ' : 'Edit FAQ';
  return (
    <form className="card form editor" onSubmit={(e) => void submit(e)} aria-label={title}>
      <h2 className="card__title card__title--small">{title}</h2>
      <TextField
        label="Question"
        name="question"
        value={question}
        onValue={setQuestion}
        placeholder="e.g. What time do you open?"
        maxLength={300}
        required
        autoFocus
      />
      <AnswerFields phrasings={phrasings} onPhrasings={setPhrasings} answer={answer} onAnswer={setAnswer} />
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
      <FormError error={error} />
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

function AnswerFields(props: {
  phrasings: string;
  onPhrasings: (text: string) => void;
  answer: string;
  onAnswer: (text: string) => void;
}) {
  return (
    <>
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
            value={props.phrasings}
            onChange={(e) => props.onPhrasings(e.target.value)}
            placeholder={'When do you open?\nAre you open on Sunday?\nOpening hours'}
          />
        )}
      </Field>
      <Field label="Answer" hint={`${props.answer.length} / ${MAX_ANSWER} characters`}>
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            name="answer"
            rows={4}
            value={props.answer}
            onChange={(e) => props.onAnswer(e.target.value)}
            placeholder="e.g. We are open Monday to Saturday, 8am to 6pm."
            maxLength={MAX_ANSWER}
            required
          />
        )}
      </Field>
    </>
  );
}
