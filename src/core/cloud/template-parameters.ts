/**
 * What an approved template needs before it can go out, and how the owner's values fill it.
 *
 * Meta stores a template's body with placeholders: positional `{{1}}`, `{{2}}` (numbered from 1, in
 * order) or named `{{order_id}}` (lower-case letters, digits, underscores). A send must carry exactly one
 * text value per distinct placeholder, in a `body` component; a wrong count is error 132000 and the
 * message is not sent. Values may not hold new lines or tabs, nor more than four spaces in a row
 * (132018). Checking all that here gives the owner the reason before the request, in words.
 *
 * Only body text is filled in: a header with an image/video/document, a header with its own
 * placeholder, or a button with a dynamic URL needs values this app does not ask for, so such
 * templates are listed but not sendable (with the reason shown).
 */

import { isPositionalPlaceholder, TEMPLATE_PLACEHOLDER } from '../../shared/template-text';

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

export function templateShape(components: readonly unknown[]): TemplateShape {
  const parts = components.filter((c): c is RawComponent => typeof c === 'object' && c !== null);
  const bodyPart = parts.find((c) => c.type === 'BODY');
  const body = typeof bodyPart?.text === 'string' ? bodyPart.text : null;
  const parameters = body === null ? [] : placeholdersOf(body);
  let unsendable: string | null = null;
  const header = parts.find((c) => c.type === 'HEADER');
  if (header !== undefined) {
    const format = typeof header.format === 'string' ? header.format : 'TEXT';
    if (format !== 'TEXT') {
      unsendable = `its header is ${format.toLowerCase()}, which Switchboard cannot attach yet`;
    } else if (typeof header.text === 'string' && placeholdersOf(header.text).length > 0) {
      unsendable = 'its header has a value to fill in, which Switchboard cannot do yet';
    }
  }
  const buttons = parts.find((c) => c.type === 'BUTTONS');
  if (unsendable === null && Array.isArray(buttons?.buttons)) {
    const dynamic = (buttons.buttons as { url?: unknown }[]).some(
      (b) => typeof b?.url === 'string' && placeholdersOf(b.url).length > 0,
    );
    if (dynamic) unsendable = 'a button has a link to fill in, which Switchboard cannot do yet';
  }
  if (unsendable === null) {
    const positional = parameters.filter((p) => p.positional);
    if (positional.length > 0 && positional.length !== parameters.length) {
      unsendable = 'its body mixes numbered and named values, which WhatsApp does not accept';
    } else if (positional.some((p, i) => p.name !== String(i + 1))) {
      unsendable = 'its numbered values do not run {{1}}, {{2}}, ... in order';
    }
  }
  return { body, parameters, unsendable };
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
