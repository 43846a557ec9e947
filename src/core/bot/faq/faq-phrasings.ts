/** Keeps the owner's order; drops blanks, repeats (ignoring case and spacing) and copies of the question. */
export function tidyPhrasings(question: string, phrasings: readonly string[]): string[] {
  const key = (text: string) => text.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  const seen = new Set([key(question)]);
  const result: string[] = [];
  for (const phrasing of phrasings) {
    const text = phrasing.trim();
    const k = key(text);
    if (k === '' || seen.has(k)) continue;
    seen.add(k);
    result.push(text);
  }
  return result;
}
