// A template send's values checked as Meta checks them, and the text the customer then reads.
import type { SimTemplate } from './business';
import { graphError, type GraphErrorAnswer } from './graph-errors';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const MEDIA_FORMATS = new Set(['image', 'video', 'document']);

interface GivenParameter {
  type?: unknown;
  text?: unknown;
  parameter_name?: unknown;
  [media: string]: unknown;
}

interface GivenComponent {
  type?: unknown;
  sub_type?: unknown;
  index?: unknown;
  parameters?: unknown;
}

const placeholdersIn = (text: string) => [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');
const parametersOf = (c: GivenComponent | undefined): GivenParameter[] =>
  Array.isArray(c?.parameters) ? (c.parameters as GivenParameter[]) : [];
const fill = (text: string, values: Map<string, string>) =>
  text.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);

/**
 * Meta's checks on a template's values, and the text the customer then reads.
 * - Body: one `text` parameter per distinct placeholder (132000 otherwise), positional ones in
 *   order, named ones by `parameter_name`; no new lines, tabs or five spaces in a row (132018).
 * - Header: a text header takes one `text` parameter per placeholder (Meta allows one); an image,
 *   video or document header takes exactly one parameter of its own type (132000 when missing or
 *   extra, 132012 when of another type), whose object has a `link` or an `id` (131008 otherwise). A
 *   `header` component for a template without one, or with nothing to fill in, is 132000.
 * - Buttons: a URL button whose link has a placeholder takes a `button` component (`sub_type` url,
 *   `index` its position) with one `text` parameter; missing, extra, or for a button that takes none:
 *   132000.
 */
export function fillTemplateSend(template: SimTemplate, raw: unknown): string | GraphErrorAnswer {
  const stored = (template.components as { type?: unknown }[]).filter(
    (c): c is StoredComponent => typeof c === 'object' && c !== null,
  );
  const components = (raw as { components?: unknown } | undefined)?.components;
  const given = (Array.isArray(components) ? components : []).filter(
    (c): c is GivenComponent => typeof c === 'object' && c !== null,
  );
  for (const c of given) {
    if (!['header', 'body', 'button'].includes(lower(c.type))) {
      return graphError(100, { details: `Invalid component type ${String(c.type)}` });
    }
  }
  const ofType = (type: string) => given.filter((c) => lower(c.type) === type);
  if (ofType('header').length > 1 || ofType('body').length > 1) {
    return graphError(100, { details: 'A template takes at most one header and one body component' });
  }

  const header = fillHeader(
    stored.find((c) => lower(c.type) === 'header'),
    parametersOf(ofType('header')[0]),
  );
  if ('status' in header) return header;

  // Body.
  const body = stored.find((c) => lower(c.type) === 'body');
  const bodyText = typeof body?.text === 'string' ? body.text : `[template ${template.name}]`;
  const bodyValues = checkTextParameters('body', placeholdersIn(bodyText), parametersOf(ofType('body')[0]));
  if (!(bodyValues instanceof Map)) return bodyValues;

  const buttonLines = fillButtons(stored, ofType('button'));
  if (!Array.isArray(buttonLines)) return buttonLines;
  return [
    ...(header.line === null ? [] : [header.line]),
    header.prefix + fill(bodyText, bodyValues),
    ...buttonLines,
  ].join('\n');
}

type StoredComponent = { type?: unknown; format?: unknown; text?: unknown; buttons?: unknown };

/** The header's checks: its line of text (a text header), or the prefix naming its file (a media header). */
function fillHeader(
  storedHeader: StoredComponent | undefined,
  headerGiven: GivenParameter[],
): { line: string | null; prefix: string } | GraphErrorAnswer {
  let headerLine: string | null = null;
  let prefix = '';
  const format = storedHeader === undefined ? null : lower(storedHeader.format) || 'text';
  if (format === null || (format === 'text' && typeof storedHeader?.text !== 'string')) {
    if (headerGiven.length > 0) {
      return graphError(132000, { details: `header: expected 0, got ${headerGiven.length}` });
    }
  } else if (format === 'text') {
    const text = storedHeader!.text as string;
    const names = placeholdersIn(text);
    const values = checkTextParameters('header', names, headerGiven);
    if (!(values instanceof Map)) return values;
    headerLine = fill(text, values);
  } else if (MEDIA_FORMATS.has(format)) {
    if (headerGiven.length !== 1) {
      return graphError(132000, { details: `header: expected 1, got ${headerGiven.length}` });
    }
    const p = headerGiven[0]!;
    if (lower(p.type) !== format) {
      return graphError(132012, { details: `header: expected ${format}, got ${String(p.type)}` });
    }
    const media = p[format] as { link?: unknown; id?: unknown } | undefined;
    const link = typeof media?.link === 'string' && media.link !== '' ? media.link : null;
    const id = typeof media?.id === 'string' && media.id !== '' ? media.id : null;
    if (link === null && id === null) {
      return graphError(131008, { details: `header: ${format} needs a link or an id` });
    }
    const filename = (media as { filename?: unknown }).filename;
    prefix =
      format === 'document' && typeof filename === 'string' && filename !== ''
        ? `[document: ${filename}] `
        : `[${format}] `;
  } else if (headerGiven.length !== 1) {
    // A location header: one parameter too.
    return graphError(132000, { details: `header: expected 1, got ${headerGiven.length}` });
  }

  return { line: headerLine, prefix };
}

/** The buttons' checks: the lines naming each URL button's filled-in link. */
function fillButtons(stored: StoredComponent[], givenButtons: GivenComponent[]): string[] | GraphErrorAnswer {
  const storedButtons = stored
    .filter((c) => lower(c.type) === 'buttons')
    .flatMap((c) =>
      Array.isArray(c.buttons) ? (c.buttons as { type?: unknown; text?: unknown; url?: unknown }[]) : [],
    );
  const buttonLines: string[] = [];
  const seen = new Set<number>();
  for (const c of givenButtons) {
    const index = Number(c.index);
    const button = Number.isInteger(index) ? storedButtons[index] : undefined;
    if (button === undefined || seen.has(index)) {
      return graphError(132000, { details: `button: no button at index ${String(c.index)} to fill in` });
    }
    seen.add(index);
    if (lower(c.sub_type) !== lower(button.type)) {
      return graphError(132000, {
        details: `button ${index}: sub_type ${String(c.sub_type)} but the button is ${String(button.type)}`,
      });
    }
    const parameters = parametersOf(c);
    if (lower(button.type) === 'quick_reply') {
      // An optional payload, echoed when the customer taps it.
      if (parameters.length > 1 || parameters.some((p) => p.type !== 'payload')) {
        return graphError(132000, { details: `button ${index}: a quick reply takes one payload at most` });
      }
      continue;
    }
    const url = lower(button.type) === 'url' && typeof button.url === 'string' ? button.url : null;
    const values = checkTextParameters(
      `button ${index}`,
      url === null ? [] : placeholdersIn(url),
      parameters,
      true,
    );
    if (!(values instanceof Map)) return values;
    if (url !== null && values.size > 0) buttonLines.push(`[${String(button.text)}: ${fill(url, values)}]`);
  }
  for (const [index, button] of storedButtons.entries()) {
    const needs =
      lower(button.type) === 'url' && typeof button.url === 'string' && placeholdersIn(button.url).length > 0;
    if (needs && !seen.has(index)) {
      return graphError(132000, { details: `button ${index}: expected 1, got 0` });
    }
  }
  return buttonLines;
}

/**
 * One `text` parameter per placeholder name (positional in order, named by `parameter_name`; a
 * button's by position only): the values by name, or Meta's error.
 */
function checkTextParameters(
  where: string,
  names: string[],
  given: GivenParameter[],
  byPosition = false,
): Map<string, string> | GraphErrorAnswer {
  if (given.length !== names.length) {
    return graphError(132000, { details: `${where}: expected ${names.length}, got ${given.length}` });
  }
  const values = new Map<string, string>();
  const positional = names.every((n) => /^\d+$/.test(n));
  for (const [i, p] of given.entries()) {
    if (p.type !== 'text' || typeof p.text !== 'string' || /[\n\t]| {5,}/.test(p.text)) {
      return graphError(132018, { details: `${where} parameter ${i + 1}` });
    }
    const name = byPosition ? names[i] : positional ? String(i + 1) : p.parameter_name;
    if (typeof name !== 'string' || !names.includes(name)) {
      return graphError(132000, { details: `${where}: unknown parameter ${String(name)}` });
    }
    values.set(name, p.text);
  }
  return values;
}
