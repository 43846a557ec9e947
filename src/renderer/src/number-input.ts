/**
 * A number as the owner types it in a form box: "1.5" or "1,5" (decimal comma), spaces around it
 * allowed. NaN when the box is empty or holds no number, so the schema refuses it in words rather than
 * reading it as 0.
 */
export function parseNumberInput(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed.replace(',', '.'));
}
