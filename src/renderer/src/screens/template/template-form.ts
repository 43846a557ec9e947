import type { CloudTemplate, CloudTemplateButton } from '../../../../shared/contract';
import {
  buttonValueProblem,
  documentFilenameProblem,
  fillTemplate,
  headerTextProblem,
  isPositionalPlaceholder,
  isTemplateHeaderMedia,
  mediaLinkProblem,
  type TemplateHeaderMedia,
} from '../../../../shared/template-text';

export const MEDIA_WORD: Record<TemplateHeaderMedia, string> = {
  image: 'Image',
  video: 'Video',
  document: 'Document',
};

/** The keys of the values that are not body placeholders (whose names are letters, digits, _). */
export const HEADER_LINK = '#header.link';
export const HEADER_FILENAME = '#header.filename';
export const HEADER_TEXT = '#header.text';
export const buttonKey = (button: CloudTemplateButton) => `#button.${button.index}`;

/**
 * What the chosen template needs and what the owner typed makes of it: the boxes it has, what is
 * wrong with each once something is typed in it (an empty one only holds the button back), the preview
 * and the message to send.
 */
export function templateForm(chosen: CloudTemplate | undefined, valueOf: (key: string) => string) {
  const media =
    chosen?.header != null && isTemplateHeaderMedia(chosen.header.format) ? chosen.header.format : null;
  const headerParameter = chosen?.header?.format === 'text' ? chosen.header.parameter : null;
  const linkButtons = chosen?.buttons.filter((b) => b.parameter !== null && b.url !== null) ?? [];
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
  return { media, headerParameter, linkButtons, problems, required, incomplete };
}

export type TemplateForm = ReturnType<typeof templateForm>;

/** What the customer will read; a placeholder without a value yet stays as it is. */
export function templatePreview(
  chosen: CloudTemplate | undefined,
  form: TemplateForm,
  valueOf: (key: string) => string,
) {
  const given = new Map(
    (chosen?.parameters ?? [])
      .map((p) => [p, valueOf(p).trim()] as const)
      .filter(([, value]) => value !== ''),
  );
  const body = chosen?.body == null ? null : fillTemplate(chosen.body, given);
  const headerValue = valueOf(HEADER_TEXT).trim();
  const { headerParameter } = form;
  const headerLine =
    chosen?.header?.format === 'text' && chosen.header.text !== null
      ? fillTemplate(
          chosen.header.text,
          new Map(headerParameter !== null && headerValue !== '' ? [[headerParameter, headerValue]] : []),
        )
      : null;
  return { body, headerLine, link: valueOf(HEADER_LINK).trim() };
}

/** The values of `conversation.sendTemplate` beside the template's name and language. */
export function templateMessage(chosen: CloudTemplate, form: TemplateForm, valueOf: (key: string) => string) {
  const { media, headerParameter, linkButtons } = form;
  const filled = chosen.parameters.map((p) => valueOf(p));
  const link = valueOf(HEADER_LINK).trim();
  const filename = valueOf(HEADER_FILENAME).trim();
  const header =
    media !== null
      ? { link, ...(media === 'document' && filename !== '' && { filename }) }
      : headerParameter !== null
        ? { text: valueOf(HEADER_TEXT) }
        : undefined;
  return {
    ...(filled.length > 0 && { parameters: filled }),
    ...(header !== undefined && { header }),
    ...(linkButtons.length > 0 && { buttons: linkButtons.map((b) => valueOf(buttonKey(b))) }),
  };
}

/** The problem with a value, as a sentence, once the owner has typed something. */
function whenTyped(value: string, problem: (value: string) => string | null, subject: string): string | null {
  if (value === '') return null;
  const found = problem(value);
  return found === null ? null : `${subject} ${found}.`;
}

export function placeholderFor(name: string): string {
  return isPositionalPlaceholder(name) ? `Value ${name}` : name.replace(/_/g, ' ');
}

/** The file a link points at, for the preview (the whole link is in the box above). */
export function lastSegment(link: string): string {
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
