import { useEffect, useState, type FormEvent } from 'react';
import type { ChatWindow, CloudTemplate } from '../../../shared/contract';
import { fillTemplate, isPositionalPlaceholder } from '../../../shared/template-text';
import { errorMessage } from '../client/client';
import { useApp } from '../state/app-context';
import { useAction } from '../state/use-action';

/**
 * Replaces the reply box once a Cloud number's 24-hour customer service window has closed: WhatsApp
 * then takes only an approved template, so the owner picks one of the number's templates instead.
 */
export function TemplateComposer(props: {
  workspaceId: string;
  chatId: string;
  window: ChatWindow;
  onSent: () => void;
}) {
  const { client } = useApp();
  const [templates, setTemplates] = useState<CloudTemplate[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [picked, setPicked] = useState('');
  const { busy, error, run } = useAction();
  const e164 = props.window.businessNumber;

  useEffect(() => {
    if (e164 === null) return;
    let live = true;
    client
      .invoke('cloud.templates', { workspaceId: props.workspaceId, e164 })
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
  }, [client, props.workspaceId, e164]);

  const chosen = templates?.find((t) => `${t.name}|${t.language}` === picked);
  // One value per placeholder of the chosen template; kept by name so switching back keeps them.
  const [values, setValues] = useState<Record<string, string>>({});
  const filled = chosen?.parameters.map((p) => values[`${picked}|${p}`] ?? '') ?? [];
  const missing = filled.some((v) => v.trim() === '');
  // What the customer will read; a placeholder without a value yet stays as it is.
  const given = new Map(
    (chosen?.parameters ?? [])
      .map((p) => [p, values[`${picked}|${p}`]?.trim() ?? ''] as const)
      .filter(([, value]) => value !== ''),
  );
  const preview = chosen?.body == null ? null : fillTemplate(chosen.body, given);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen === undefined) return;
    await run(async () => {
      await client.invoke('conversation.sendTemplate', {
        workspaceId: props.workspaceId,
        chatId: props.chatId,
        name: chosen.name,
        language: chosen.language,
        ...(filled.length > 0 && { parameters: filled }),
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
      {loadError !== null && (
        <p className="notice notice--problem" role="alert">
          {loadError}
        </p>
      )}
      <select
        className="input composer__input"
        aria-label="Template"
        value={picked}
        onChange={(e) => setPicked(e.target.value)}
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
      {chosen !== undefined && chosen.parameters.length > 0 && (
        <fieldset className="composer__values">
          <legend>Fill in the template</legend>
          {chosen.parameters.map((name) => (
            <label key={name} className="composer__value">
              <span>{`{{${name}}}`}</span>
              <input
                className="input"
                value={values[`${picked}|${name}`] ?? ''}
                maxLength={1024}
                placeholder={isPositionalPlaceholder(name) ? `Value ${name}` : name.replace(/_/g, ' ')}
                onChange={(e) => setValues((v) => ({ ...v, [`${picked}|${name}`]: e.target.value }))}
              />
            </label>
          ))}
        </fieldset>
      )}
      {preview !== null && (
        <p className="composer__preview" aria-label="Message preview">
          {preview}
        </p>
      )}
      <button
        className="button button--primary"
        type="submit"
        disabled={chosen === undefined || missing || busy}
      >
        {busy ? 'Sending…' : 'Send template'}
      </button>
      {error !== null && (
        <p className="notice notice--problem" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
