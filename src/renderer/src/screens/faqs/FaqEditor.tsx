import { useState } from 'react';
import type { Faq } from '../../../../shared/dto';
import { EditorForm } from '../../components/EditorForm';
import { TextField } from '../../components/Field';
import { TextAreaField } from '../../components/TextAreaField';
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

  const submit = () =>
    run(async () => {
      const fields = { question, answer, enabled, phrasings: linesOf(phrasings) };
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

  return (
    <EditorForm
      title={props.faq === null ? 'New FAQ' : 'Edit FAQ'}
      submit={props.faq === null ? 'Add FAQ' : 'Save changes'}
      busy={busy}
      error={error}
      onSubmit={submit}
      onCancel={props.onDone}
    >
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
      <TextAreaField
        label="Other ways customers ask it"
        hint="One per line. The more ways you add, the more questions get answered."
        name="phrasings"
        rows={3}
        value={phrasings}
        onValue={setPhrasings}
        placeholder={'When do you open?\nAre you open on Sunday?\nOpening hours'}
      />
      <TextAreaField
        label="Answer"
        hint={`${answer.length} / ${MAX_ANSWER} characters`}
        name="answer"
        rows={4}
        value={answer}
        onValue={setAnswer}
        placeholder="e.g. We are open Monday to Saturday, 8am to 6pm."
        maxLength={MAX_ANSWER}
        required
      />
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
    </EditorForm>
  );
}
