/**
 * A WhatsApp message template's body text: placeholders as Meta stores them, positional `{{1}}` or
 * named `{{order_id}}`. Shared so the core (what is sent and kept) and the renderer (the owner's
 * preview) fill a body the same way.
 */

/** One placeholder; the name is group 1. Global: use with matchAll or replace. */
export const TEMPLATE_PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** A positional placeholder ("1", "2", ...) rather than a named one. */
export function isPositionalPlaceholder(name: string): boolean {
  return /^\d+$/.test(name);
}

/** The body with each placeholder that has a value replaced by it; the others stay as they are. */
export function fillTemplate(body: string, values: ReadonlyMap<string, string>): string {
  return body.replace(TEMPLATE_PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);
}

/**
 * The values a template's header and link buttons take, checked the same way in the composer (next to
 * each box) and in the core (before anything is sent). Each function says what is wrong, completing a
 * sentence that names the field ("The header link ..."), or returns null when the value will do.
 */

/** Meta's limits: a header's text is at most 60 characters; a link (media or button) at most 2,000. */
export const MAX_HEADER_TEXT_VALUE = 60;
export const MAX_TEMPLATE_LINK = 2000;
export const MAX_BUTTON_VALUE = 2000;
export const MAX_DOCUMENT_FILENAME = 240;

/** The media kinds a template header can carry as a link. */
export type TemplateHeaderMedia = 'image' | 'video' | 'document';

export function isTemplateHeaderMedia(format: string): format is TemplateHeaderMedia {
  return format === 'image' || format === 'video' || format === 'document';
}

/** A header image, video or document: a public https link WhatsApp fetches the file from. */
export function mediaLinkProblem(link: string): string | null {
  const value = link.trim();
  if (value === '') return 'is empty: paste a public https link to the file';
  if (value.length > MAX_TEMPLATE_LINK) {
    return `is longer than ${MAX_TEMPLATE_LINK.toLocaleString('en')} characters`;
  }
  if (/\s/.test(value)) return 'has a space or a new line in it: paste the link alone';
  if (!/^https:\/\//i.test(value)) {
    return 'must start with https:// (WhatsApp only fetches the file from a secure public link)';
  }
  if (!URL.canParse(value) || new URL(value).hostname === '') return 'is not a valid web address';
  return null;
}

/** A document header's file name, as the customer sees it (optional). */
export function documentFilenameProblem(filename: string): string | null {
  const value = filename.trim();
  if (value.length > MAX_DOCUMENT_FILENAME) return `is longer than ${MAX_DOCUMENT_FILENAME} characters`;
  if (/[\n\r\t/\\]/.test(value)) return 'has a new line, a tab or a slash in it';
  return null;
}

/** The value of a text header's placeholder. */
export function headerTextProblem(value: string): string | null {
  if (value.trim() === '') return 'is empty';
  if (/[\n\r\t]/.test(value)) return 'has a new line or a tab, which WhatsApp refuses in a header';
  if (/ {5,}/.test(value)) return 'has more than four spaces in a row, which WhatsApp refuses';
  if (value.trim().length > MAX_HEADER_TEXT_VALUE) {
    return `is longer than ${MAX_HEADER_TEXT_VALUE} characters, WhatsApp's limit for a header`;
  }
  return null;
}

/** The part of a button's link that is filled in (e.g. an order number at the end of a tracking link). */
export function buttonValueProblem(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'is empty';
  if (/\s/.test(trimmed)) return 'has a space or a new line in it, which cannot go into a link';
  if (trimmed.length > MAX_BUTTON_VALUE) {
    return `is longer than ${MAX_BUTTON_VALUE.toLocaleString('en')} characters`;
  }
  return null;
}
