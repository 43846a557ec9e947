import { useEffect, useState, type FormEvent } from 'react';
import type { ChatWindow, CloudTemplate } from '../../../shared/contract';
import { errorMessage } from '../client/client';
import { FormError } from '../components/Field';
import { useApp } from '../state/app-context';
import { useAction } from '../state/use-action';
import { TemplateBoxes, TemplatePreview } from './template/TemplateBoxes';
import { templateForm, templateMessage, templatePreview } from './template/template-form';

/** The number's templates, loaded once, and which one is picked (the first that can be sent). */
function useTemplates(workspaceId: string, e164: string | null) {
  const { client } = useApp();
  const [templates, setTemplates] = useState<CloudTemplate[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [picked, setPicked] = useState('');
  useEffect(() => {
    if (e164 === null) return;
    let live = true;
    client
      .invoke('cloud.templates', { workspaceId, e164 })
      .then((list) => {
        if (!live) return;
        setTemplates(list);
        const first = list.find((t) => t.sendable);
        setPicked(first === undefined ? '' : `${first.name}|${first.language}`);
      })
      .catch((failure: unknown) => live && setLoadError(errorMessage(failure)));
    return () => {
      live = false;
    };
  }, [client, workspaceId, e164]);
  return { templates, loadError, picked, setPicked };
}

/**
 * Replaces the reply box once a Cloud number's 24-hour customer service window has closed: WhatsApp
 * then takes only an approved template, so the owner picks one of the number's templates instead.
 * Besides the body's values, a template may need a link to its header image, video or document, its
 * header's value, and the end of a button's link: one box each, checked as the owner types (the
 * same rules the core applies), and a preview of the message as the customer will see it.
 */
export function TemplateComposer(props: {
  workspaceId: string;
  chatId: string;
  window: ChatWindow;
  onSent: () => void;
}) {
  const { client } = useApp();
  const { templates, loadError, picked, setPicked } = useTemplates(
    props.workspaceId,
    props.window.businessNumber,
  );
  const { busy, error, run } = useAction();
  const chosen = templates?.find((t) => `${t.name}|${t.language}` === picked);
  // One value per box of the chosen template; kept by template and name so switching back keeps them.
  const [values, setValues] = useState<Record<string, string>>({});
  const valueOf = (key: string) => values[`${picked}|${key}`] ?? '';
  const setValue = (key: string, value: string) => setValues((v) => ({ ...v, [`${picked}|${key}`]: value }));
  const form = templateForm(chosen, valueOf);
  const preview = templatePreview(chosen, form, valueOf);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen === undefined) return;
    const message = templateMessage(chosen, form, valueOf);
    await run(async () => {
      await client.invoke('conversation.sendTemplate', {
        workspaceId: props.workspaceId,
        chatId: props.chatId,
        name: chosen.name,
        language: chosen.language,
        ...message,
      });
      props.onSent();
    });
  };

  return (
    <form
      className="composer composer--template"
      aria-label="Send a template"
      onSubmit={(e) => void submit(e)}
    >
      <p className="notice notice--warning composer__window" role="status">
        This customer last wrote more than 24 hours ago: WhatsApp only allows a template now.
      </p>
      <FormError error={loadError} />
      <TemplatePicker templates={templates} picked={picked} onPick={setPicked} />
      {chosen !== undefined && form.required.length > 0 && (
        <TemplateBoxes chosen={chosen} form={form} valueOf={valueOf} setValue={setValue} />
      )}
      {preview.body !== null && <TemplatePreview chosen={chosen} form={form} preview={preview} />}
      <button
        className="button button--primary"
        type="submit"
        disabled={chosen === undefined || form.incomplete || busy}
      >
        {busy ? 'Sending…' : 'Send template'}
      </button>
      <FormError error={error} />
    </form>
  );
}

function TemplatePicker(props: {
  templates: CloudTemplate[] | null;
  picked: string;
  onPick: (picked: string) => void;
}) {
  const { templates } = props;
  return (
    <select
      className="input composer__input"
      aria-label="Template"
      value={props.picked}
      onChange={(e) => props.onPick(e.target.value)}
      disabled={templates === null || templates.length === 0}
    >
      {templates === null && <option value="">Loading templates…</option>}
      {templates?.length === 0 && <option value="">No approved templates on this number</option>}
      {templates?.map((t) => (
        <option key={`${t.name}|${t.language}`} value={`${t.name}|${t.language}`} disabled={!t.sendable}>
          {t.name} ({t.language}){t.body !== null ? ` — ${t.body.slice(0, 80)}` : ''}
          {t.sendable ? '' : ` (cannot be sent from here: ${t.unsendableReason ?? 'unsupported'})`}
        </option>
      ))}
    </select>
  );
}
