/**
 * What an approved template needs before it can go out, and how the owner's values fill it.
 *
 * Meta stores a template's body with placeholders: positional `{{1}}`, `{{2}}` (numbered from 1, in
 * order) or named `{{order_id}}` (lower-case letters, digits, underscores). A send must carry exactly one
 * text value per distinct placeholder, in a `body` component; a wrong count is error 132000 and the
 * message is not sent. Values may not hold new lines or tabs, nor more than four spaces in a row
 * (132018). Checking all that here gives the owner the reason before the request, in words.
 *
 * The header and the buttons take values the same way: an image, video or document header needs a
 * link to the file (a `header` component with one media parameter); a text header may have one
 * placeholder (a `header` component with one text parameter); a URL button whose link has a
 * placeholder needs the rest of the link (a `button` component, `sub_type` url, with the button's
 * `index`). What is left unsendable is what Switchboard cannot fill in (a location header, a coupon
 * code, carousel cards) or what WhatsApp would refuse anyway (mixed numbered and named values).
 */

import type { CloudTemplate, CloudTemplateButton, CloudTemplateHeader } from '../../shared/cloud-contract';
import {
  buttonValueProblem,
  documentFilenameProblem,
  fillTemplate,
  headerTextProblem,
  isPositionalPlaceholder,
  isTemplateHeaderMedia,
  mediaLinkProblem,
  TEMPLATE_PLACEHOLDER,
} from '../../shared/template-text';
import { SwitchboardError } from '../errors';

export interface TemplateParameter {
  /** "1", "2", ... for positional placeholders; the name for named ones. */
  name: string;
  positional: boolean;
}

export interface TemplateShape {
  /** The body text as Meta stores it, with placeholders; null when the template has no body. */
  body: string | null;
  /** The body's distinct placeholders in the order they must be sent. */
  parameters: TemplateParameter[];
  /** The header and what it needs, null when there is none (as `CloudTemplate.header`). */
  header: CloudTemplateHeader | null;
  /** Every button in Meta's order, with the link placeholder to fill in (as `CloudTemplate.buttons`). */
  buttons: CloudTemplateButton[];
  /** Why it cannot be sent from here, or null when it can. */
  unsendable: string | null;
}

/** A template body value: Meta's own limit per parameter. */
export const MAX_PARAMETER_LENGTH = 1024;

interface RawComponent {
  type?: unknown;
  format?: unknown;
  text?: unknown;
  buttons?: unknown;
}

interface RawButton {
  type?: unknown;
  text?: unknown;
  url?: unknown;
}

/** Buttons whose value Switchboard does not ask for, though Meta requires one at send time. */
const BUTTONS_NEEDING_A_CODE = new Set(['copy_code', 'otp']);

export function templateShape(components: readonly unknown[]): TemplateShape {
  const parts = components.filter((c): c is RawComponent => typeof c === 'object' && c !== null);
  const typeOf = (c: RawComponent) => (typeof c.type === 'string' ? c.type.toUpperCase() : '');
  const bodyPart = parts.find((c) => typeOf(c) === 'BODY');
  const body = typeof bodyPart?.text === 'string' ? bodyPart.text : null;
  const parameters = body === null ? [] : placeholdersOf(body);
  const problems: string[] = [];

  let header: CloudTemplateHeader | null = null;
  const headerPart = parts.find((c) => typeOf(c) === 'HEADER');
  if (headerPart !== undefined) {
    const format = (typeof headerPart.format === 'string' ? headerPart.format : 'TEXT').toLowerCase();
    if (format === 'text') {
      const text = typeof headerPart.text === 'string' ? headerPart.text : '';
      const placeholders = placeholdersOf(text);
      header = { format: 'text', text, parameter: placeholders[0]?.name ?? null };
      if (placeholders.length > 1) {
        problems.push('its header has more than one value to fill in, which WhatsApp does not accept');
      }
    } else if (isTemplateHeaderMedia(format)) {
      header = { format, text: null, parameter: null };
    } else {
      header = { format: 'other', text: null, parameter: null };
      problems.push(`its header is ${articled(format)}, which Switchboard cannot attach yet`);
    }
  }

  const buttons: CloudTemplateButton[] = [];
  for (const part of parts.filter((c) => typeOf(c) === 'BUTTONS')) {
    if (!Array.isArray(part.buttons)) continue;
    for (const raw of part.buttons as unknown[]) {
      const b = (typeof raw === 'object' && raw !== null ? raw : {}) as RawButton;
      const type = typeof b.type === 'string' ? b.type.toLowerCase() : 'unknown';
      const url = type === 'url' && typeof b.url === 'string' ? b.url : null;
      const placeholders = url === null ? [] : placeholdersOf(url);
      const text = typeof b.text === 'string' ? b.text : '';
      buttons.push({ index: buttons.length, type, text, url, parameter: placeholders[0]?.name ?? null });
      if (placeholders.length > 1) {
        problems.push(`the link of its "${text}" button has more than one value to fill in`);
      }
      if (BUTTONS_NEEDING_A_CODE.has(type)) {
        problems.push(`its "${text || type}" button needs a code, which Switchboard cannot fill in yet`);
      }
    }
  }
  if (parts.some((c) => typeOf(c) === 'CAROUSEL')) {
    problems.push('it is a carousel of cards, which Switchboard cannot fill in yet');
  }

  const positional = parameters.filter((p) => p.positional);
  if (positional.length > 0 && positional.length !== parameters.length) {
    problems.push('its body mixes numbered and named values, which WhatsApp does not accept');
  } else if (positional.some((p, i) => p.name !== String(i + 1))) {
    problems.push('its numbered values do not run {{1}}, {{2}}, ... in order');
  }
  return { body, parameters, header, buttons, unsendable: problems[0] ?? null };
}

function articled(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** The parameters back from their names (as `CloudTemplate.parameters` lists them). */
export function parametersNamed(names: readonly string[]): TemplateParameter[] {
  return names.map((name) => ({ name, positional: isPositionalPlaceholder(name) }));
}

function placeholdersOf(text: string): TemplateParameter[] {
  const seen = new Set<string>();
  const out: TemplateParameter[] = [];
  for (const match of text.matchAll(TEMPLATE_PLACEHOLDER)) {
    const name = match[1]!;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(...parametersNamed([name]));
  }
  // Positional placeholders go out by number, whatever order the text uses them in.
  return out.every((p) => p.positional) ? out.sort((a, b) => Number(a.name) - Number(b.name)) : out;
}

/** Why a value cannot go into a template, in the owner's words; null when it can. */
export function parameterProblem(value: string): string | null {
  if (value.trim() === '') return 'is empty';
  if (/[\n\r\t]/.test(value)) return 'has a new line or a tab, which WhatsApp refuses in a template';
  if (/ {5,}/.test(value)) return 'has more than four spaces in a row, which WhatsApp refuses';
  if (value.length > MAX_PARAMETER_LENGTH) return `is longer than ${MAX_PARAMETER_LENGTH} characters`;
  return null;
}

/** The Graph API `components` for the values (none when the template takes none). */
export function bodyComponents(
  parameters: readonly TemplateParameter[],
  values: readonly string[],
): unknown[] {
  if (parameters.length === 0) return [];
  return [
    {
      type: 'body',
      parameters: parameters.map((p, i) =>
        p.positional
          ? { type: 'text', text: values[i] }
          : { type: 'text', parameter_name: p.name, text: values[i] },
      ),
    },
  ];
}

/** What the owner gives for a template, as `conversation.sendTemplate` takes it. */
export interface TemplateValues {
  /** One per entry of `CloudTemplate.parameters` (the body's placeholders), in that order. */
  parameters?: readonly string[] | undefined;
  header?:
    { link?: string | undefined; filename?: string | undefined; text?: string | undefined } | undefined;
  /** One per button with a `parameter`, in the buttons' order. */
  buttons?: readonly string[] | undefined;
}

export interface FilledTemplate {
  /** What the conversation keeps: the message as the customer reads it. */
  text: string;
  /** The Graph API `components`: header, body, then buttons. */
  components: unknown[];
}

/**
 * Checks the owner's values against what the template needs and builds what is sent: Meta's
 * `components` and the text the conversation keeps. Throws a VALIDATION SwitchboardError naming the
 * field (`details.field`: parameters.0, header.link, header.text, buttons.0, ...) and what to fix,
 * so nothing is written or sent with values Meta would refuse with 132000.
 */
export function fillTemplateValues(template: CloudTemplate, values: TemplateValues): FilledTemplate {
  const { name, language } = template;
  const refuse = (field: string, message: string): never => {
    throw new SwitchboardError('VALIDATION', message, { name, language, field });
  };

  // The body, exactly as before the header and buttons took values.
  const given = values.parameters ?? [];
  if (given.length !== template.parameters.length) {
    refuse(
      'parameters',
      template.parameters.length === 0
        ? `${name} takes no values, but ${given.length} were given.`
        : `${name} needs ${template.parameters.length} value(s), one for each of ` +
            `${template.parameters.map((p) => `{{${p}}}`).join(', ')}; ${given.length} were given.`,
    );
  }
  const shape = parametersNamed(template.parameters);
  given.forEach((value, i) => {
    const problem = parameterProblem(value);
    if (problem !== null) refuse(`parameters.${i}`, `The value for {{${shape[i]!.name}}} ${problem}.`);
  });
  const bodyValues = given.map((v) => v.trim());
  const byName = new Map(shape.map((p, i) => [p.name, bodyValues[i]!]));
  const bodyText = template.body === null ? `Template ${name}` : fillTemplate(template.body, byName);

  const header = headerOf(template, values.header ?? {}, refuse);
  const buttons = buttonsOf(template, values.buttons ?? [], refuse);
  const lines = [
    ...(header.line === null ? [] : [header.line]),
    `${header.prefix}${bodyText}`,
    ...buttons.lines,
  ];
  return {
    text: lines.join('\n'),
    components: [
      ...(header.component === null ? [] : [header.component]),
      ...bodyComponents(shape, bodyValues),
      ...buttons.components,
    ],
  };
}

type Refuse = (field: string, message: string) => never;

function headerOf(
  template: CloudTemplate,
  given: NonNullable<TemplateValues['header']>,
  refuse: Refuse,
): { component: unknown; line: string | null; prefix: string } {
  const { name, header } = template;
  const format = header?.format ?? null;
  const media = format !== null && isTemplateHeaderMedia(format) ? format : null;
  if (given.link !== undefined && media === null) {
    refuse(
      'header.link',
      `${name} has no image, video or document header, so it takes no header link: leave it out.`,
    );
  }
  if (given.filename !== undefined && media !== 'document') {
    refuse('header.filename', `Only a document header takes a file name, and ${name} has none.`);
  }
  if (given.text !== undefined && (header?.parameter ?? null) === null) {
    refuse(
      'header.text',
      `${name} has no header value to fill in, but one was given: leave the header text out.`,
    );
  }
  if (media !== null) {
    if (given.link === undefined) {
      refuse(
        'header.link',
        `${name} starts with ${articled(media)}: give a public https link to the ${media} (header link).`,
      );
    }
    const link = given.link.trim();
    const problem = mediaLinkProblem(link);
    if (problem !== null) refuse('header.link', `The header link ${problem}.`);
    const filename = given.filename?.trim() ?? '';
    const filenameProblem = documentFilenameProblem(filename);
    if (filenameProblem !== null) refuse('header.filename', `The file name ${filenameProblem}.`);
    const object = { link, ...(filename !== '' && { filename }) };
    return {
      component: { type: 'header', parameters: [{ type: media, [media]: object }] },
      line: null,
      prefix: media === 'document' && filename !== '' ? `[document: ${filename}] ` : `[${media}] `,
    };
  }
  if (header?.format === 'text' && header.text !== null) {
    const parameter = header.parameter;
    if (parameter === null) return { component: null, line: header.text, prefix: '' };
    if (given.text === undefined) {
      refuse('header.text', `${name} needs a header value for {{${parameter}}}: none was given.`);
    }
    const problem = headerTextProblem(given.text);
    if (problem !== null) refuse('header.text', `The header value for {{${parameter}}} ${problem}.`);
    const value = given.text.trim();
    return {
      component: {
        type: 'header',
        parameters: [
          isPositionalPlaceholder(parameter)
            ? { type: 'text', text: value }
            : { type: 'text', parameter_name: parameter, text: value },
        ],
      },
      line: fillTemplate(header.text, new Map([[parameter, value]])),
      prefix: '',
    };
  }
  return { component: null, line: null, prefix: '' };
}

function buttonsOf(
  template: CloudTemplate,
  given: readonly string[],
  refuse: Refuse,
): { components: unknown[]; lines: string[] } {
  const { name } = template;
  const dynamic = template.buttons.filter((b) => b.parameter !== null && b.url !== null);
  if (given.length !== dynamic.length) {
    refuse(
      'buttons',
      dynamic.length === 0
        ? `${name} has no button link to fill in, but ${given.length} button value(s) were given.`
        : `${name} needs ${dynamic.length} button value(s), one for the link of each of ` +
            `${dynamic.map((b) => `"${b.text}"`).join(', ')}; ${given.length} were given.`,
    );
  }
  const components: unknown[] = [];
  const lines: string[] = [];
  dynamic.forEach((button, i) => {
    const problem = buttonValueProblem(given[i]!);
    if (problem !== null) refuse(`buttons.${i}`, `The value for the "${button.text}" button ${problem}.`);
    const value = given[i]!.trim();
    components.push({
      type: 'button',
      sub_type: 'url',
      index: String(button.index),
      parameters: [{ type: 'text', text: value }],
    });
    lines.push(`[${button.text}: ${fillTemplate(button.url!, new Map([[button.parameter!, value]]))}]`);
  });
  return { components, lines };
}
