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
