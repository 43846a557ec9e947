import { useId } from 'react';
import type { CloudTemplate } from '../../../../shared/contract';
import {
  fillTemplate,
  MAX_BUTTON_VALUE,
  MAX_DOCUMENT_FILENAME,
  MAX_HEADER_TEXT_VALUE,
  MAX_TEMPLATE_LINK,
  mediaLinkProblem,
} from '../../../../shared/template-text';
import {
  buttonKey,
  HEADER_FILENAME,
  HEADER_LINK,
  HEADER_TEXT,
  lastSegment,
  MEDIA_WORD,
  placeholderFor,
  type TemplateForm,
  type templatePreview,
} from './template-form';

/** One box per value the chosen template needs: header link or text, body placeholders, button links. */
export function TemplateBoxes(props: {
  chosen: CloudTemplate;
  form: TemplateForm;
  valueOf: (key: string) => string;
  setValue: (key: string, value: string) => void;
}) {
  const { chosen, form, valueOf, setValue } = props;
  const { media, headerParameter, problems } = form;
  return (
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
      {form.linkButtons.map((button) => (
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
  );
}

/** The message as the customer will see it: header media or line, body, buttons. */
export function TemplatePreview(props: {
  chosen: CloudTemplate | undefined;
  form: TemplateForm;
  preview: ReturnType<typeof templatePreview>;
}) {
  const { chosen, preview } = props;
  const { media } = props.form;
  const { link } = preview;
  return (
    <div className="composer__preview" role="group" aria-label="Message preview">
      {media !== null && (
        <span className="composer__preview-media" data-testid="preview-media">
          {MEDIA_WORD[media]}
          {link !== '' && mediaLinkProblem(link) === null ? `: ${lastSegment(link)}` : ''}
        </span>
      )}
      {preview.headerLine !== null && (
        <strong className="composer__preview-header">{preview.headerLine}</strong>
      )}
      {preview.body}
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
