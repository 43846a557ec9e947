import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ChatWindow, CloudTemplate, CloudTemplateButton } from '../../../shared/contract';
import {
  buttonValueProblem,
  documentFilenameProblem,
  fillTemplate,
  headerTextProblem,
  isPositionalPlaceholder,
  isTemplateHeaderMedia,
  MAX_BUTTON_VALUE,
  MAX_DOCUMENT_FILENAME,
  MAX_HEADER_TEXT_VALUE,
  MAX_TEMPLATE_LINK,
  mediaLinkProblem,
  type TemplateHeaderMedia,
} from '../../../shared/template-text';
import { errorMessage } from '../client/client';
import { useApp } from '../state/app-context';
import { useAction } from '../state/use-action';

const MEDIA_WORD: Record<TemplateHeaderMedia, string> = {
  image: 'Image',
  video: 'Video',
  document: 'Document',
};

/** The keys of the values that are not body placeholders (whose names are letters, digits, _). */
const HEADER_LINK = '#header.link';
const HEADER_FILENAME = '#header.filename';
const HEADER_TEXT = '#header.text';
const buttonKey = (button: CloudTemplateButton) => `#button.${button.index}`;

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
  // One value per box of the chosen template; kept by template and name so switching back keeps them.
  const [values, setValues] = useState<Record<string, string>>({});
  const valueOf = (key: string) => values[`${picked}|${key}`] ?? '';
  const setValue = (key: string, value: string) => setValues((v) => ({ ...v, [`${picked}|${key}`]: value }));

  const media =
    chosen?.header != null && isTemplateHeaderMedia(chosen.header.format) ? chosen.header.format : null;
  const headerParameter = chosen?.header?.format === 'text' ? chosen.header.parameter : null;
  const linkButtons = chosen?.buttons.filter((b) => b.parameter !== null && b.url !== null) ?? [];

  const filled = chosen?.parameters.map((p) => valueOf(p)) ?? [];
  // What is wrong with each box, once something is typed in it (an empty one only holds the button back).
  const problems: Record<string, string | null> = {};
  const required: string[] = [...(chosen?.parameters ?? [])];
  if (media !== null) {
    required.push(HEADER_LINK);
    problems[HEADER_LINK] = whenTyped(valueOf(HEADER_LINK), mediaLinkProblem, 'The link');
    if (media === 'document') {
      problems[HEADER_FILENAME] = whenTyped(
        valueOf(HEADER_FILENAME),
        documentFilenameProblem,
        'The file name',
      );
    }
  }
  if (headerParameter !== null) {
    required.push(HEADER_TEXT);
    problems[HEADER_TEXT] = whenTyped(valueOf(HEADER_TEXT), headerTextProblem, 'The header value');
  }
  for (const button of linkButtons) {
    required.push(buttonKey(button));
    problems[buttonKey(button)] = whenTyped(valueOf(buttonKey(button)), buttonValueProblem, 'The value');
  }
  const incomplete =
    required.some((key) => valueOf(key).trim() === '') || Object.values(problems).some((p) => p !== null);

  // What the customer will read; a placeholder without a value yet stays as it is.
  const given = new Map(
    (chosen?.parameters ?? [])
      .map((p) => [p, valueOf(p).trim()] as const)
      .filter(([, value]) => value !== ''),
  );
  const preview = chosen?.body == null ? null : fillTemplate(chosen.body, given);
  const headerValue = valueOf(HEADER_TEXT).trim();
  const headerLine =
    chosen?.header?.format === 'text' && chosen.header.text !== null
      ? fillTemplate(
          chosen.header.text,
          new Map(headerParameter !== null && headerValue !== '' ? [[headerParameter, headerValue]] : []),
        )
      : null;
  const link = valueOf(HEADER_LINK).trim();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen === undefined) return;
    const filename = valueOf(HEADER_FILENAME).trim();
    const header =
      media !== null
        ? { link, ...(media === 'document' && filename !== '' && { filename }) }
        : headerParameter !== null
          ? { text: valueOf(HEADER_TEXT) }
          : undefined;
    await run(async () => {
      await client.invoke('conversation.sendTemplate', {
        workspaceId: props.workspaceId,
        chatId: props.chatId,
        name: chosen.name,
        language: chosen.language,
        ...(filled.length > 0 && { parameters: filled }),
        ...(header !== undefined && { header }),
        ...(linkButtons.length > 0 && { buttons: linkButtons.map((b) => valueOf(buttonKey(b))) }),
      });
      props.onSent();
    });
  };

  const hasBoxes = required.length > 0;
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
      {chosen !== undefined && hasBoxes && (
        <fieldset className="composer__values">
          <legend>Fill in the template</legend>
          {media !== null && (
            <Box
              label={`${MEDIA_WORD[media]} link`}
              wide
              value={valueOf(HEADER_LINK)}
              onChange={(v) => setValue(HEADER_LINK, v)}
              maxLength={MAX_TEMPLATE_LINK}
              type="url"
              placeholder="https://"
              hint={`A public https link to the ${media}: WhatsApp fetches it from there.`}
              problem={problems[HEADER_LINK] ?? null}
            />
          )}
          {media === 'document' && (
            <Box
              label="File name"
              value={valueOf(HEADER_FILENAME)}
              onChange={(v) => setValue(HEADER_FILENAME, v)}
              maxLength={MAX_DOCUMENT_FILENAME}
              placeholder="Optional, e.g. Invoice.pdf"
              problem={problems[HEADER_FILENAME] ?? null}
            />
          )}
          {headerParameter !== null && (
            <Box
              label={`Header {{${headerParameter}}}`}
              value={valueOf(HEADER_TEXT)}
              onChange={(v) => setValue(HEADER_TEXT, v)}
              maxLength={MAX_HEADER_TEXT_VALUE}
              placeholder={placeholderFor(headerParameter)}
              hint={`At most ${MAX_HEADER_TEXT_VALUE} characters.`}
              problem={problems[HEADER_TEXT] ?? null}
            />
          )}
          {chosen.parameters.map((name) => (
            <Box
              key={name}
              label={`{{${name}}}`}
              value={valueOf(name)}
              onChange={(v) => setValue(name, v)}
              maxLength={1024}
              placeholder={placeholderFor(name)}
              problem={null}
            />
          ))}
          {linkButtons.map((button) => (
            <Box
              key={button.index}
              label={`“${button.text}” link`}
              value={valueOf(buttonKey(button))}
              onChange={(v) => setValue(buttonKey(button), v)}
              maxLength={MAX_BUTTON_VALUE}
              placeholder="End of the link, no spaces"
              hint={fillTemplate(button.url!, new Map([[button.parameter!, '…']]))}
              problem={problems[buttonKey(button)] ?? null}
            />
          ))}
        </fieldset>
      )}
      {preview !== null && (
        <div className="composer__preview" role="group" aria-label="Message preview">
          {media !== null && (
            <span className="composer__preview-media" data-testid="preview-media">
              {MEDIA_WORD[media]}
              {link !== '' && mediaLinkProblem(link) === null ? `: ${lastSegment(link)}` : ''}
            </span>
          )}
          {headerLine !== null && <strong className="composer__preview-header">{headerLine}</strong>}
          {preview}
          {chosen !== undefined && chosen.buttons.length > 0 && (
            <span className="composer__preview-buttons" aria-label="Buttons">
              {chosen.buttons.map((b) => (
                <span key={b.index} className="composer__preview-button">
                  {b.text}
                </span>
              ))}
            </span>
          )}
        </div>
      )}
      <button
        className="button button--primary"
        type="submit"
        disabled={chosen === undefined || incomplete || busy}
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

/** One value's box: its label, the box, a hint under it, and what is wrong next to it. */
function Box(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  placeholder: string;
  problem: string | null;
  hint?: string;
  type?: 'text' | 'url';
  wide?: boolean;
}) {
  const id = useId();
  const described = [props.hint !== undefined && `${id}-hint`, props.problem !== null && `${id}-problem`]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`composer__field${props.wide === true ? ' composer__field--wide' : ''}`}>
      <label className="composer__value">
        <span>{props.label}</span>
        <input
          className="input"
          type={props.type ?? 'text'}
          value={props.value}
          maxLength={props.maxLength}
          placeholder={props.placeholder}
          aria-invalid={props.problem !== null}
          aria-describedby={described === '' ? undefined : described}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </label>
      {props.hint !== undefined && (
        <small id={`${id}-hint`} className="field__hint composer__hint">
          {props.hint}
        </small>
      )}
      {props.problem !== null && (
        <p id={`${id}-problem`} className="field__error composer__error" role="alert">
          {props.problem}
        </p>
      )}
    </div>
  );
}

/** The problem with a value, as a sentence, once the owner has typed something. */
function whenTyped(value: string, problem: (value: string) => string | null, subject: string): string | null {
  if (value === '') return null;
  const found = problem(value);
  return found === null ? null : `${subject} ${found}.`;
}

function placeholderFor(name: string): string {
  return isPositionalPlaceholder(name) ? `Value ${name}` : name.replace(/_/g, ' ');
}

/** The file a link points at, for the preview (the whole link is in the box above). */
function lastSegment(link: string): string {
  const url = new URL(link);
  const last = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .at(-1);
  if (last === undefined) return url.hostname;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
