/**
 * When the bot is unsure, it may ask instead of handing the chat over: "Do you mean 1) Delivery to
 * Lekki or 2) Delivery days? Reply 1 or 2". Which FAQs to offer is decided here, from the matcher's
 * ranked candidates alone, so the pipeline and the benchmark ask the same question of the same result.
 */

/** One ranked FAQ, as the matcher (or the bot's `candidates`) returns it, best first. */
export interface RankedFaq {
  faqId: string;
  confidence: number;
}

export interface ClarifyOptions {
  /** An offered FAQ's confidence is at least this share of the answering threshold (a near miss). */
  floorShare: number;
  /** ...and at least this share of the best candidate's (not a distant third). */
  leadShare: number;
  maxOptions: number;
}

export const CLARIFY_DEFAULTS: ClarifyOptions = { floorShare: 0.35, leadShare: 0.5, maxOptions: 3 };

/**
 * The FAQs a clarifying question would offer for this match result, in order; null when the bot would
 * not ask: the best candidate already answers (confidence at the threshold), or fewer than two
 * candidates are near misses (one guess is not a choice: the chat goes to a person as before).
 *
 * For a benchmark: a message the bot would clarify counts as right only when the right FAQ is among
 * the ids returned (the customer can pick it), and as wrong when it is not (the customer is offered
 * only wrong answers) or when the message is off-topic.
 */
export function clarificationFor(
  ranked: readonly RankedFaq[],
  threshold: number,
  options: ClarifyOptions = CLARIFY_DEFAULTS,
): string[] | null {
  const best = ranked[0];
  if (best === undefined || best.confidence >= threshold) return null;
  const floor = Math.max(threshold * options.floorShare, best.confidence * options.leadShare);
  const offered: string[] = [];
  for (const c of ranked) {
    if (c.confidence < floor || offered.length === options.maxOptions) break;
    if (!offered.includes(c.faqId)) offered.push(c.faqId);
  }
  return offered.length >= 2 ? offered : null;
}

/** The question put to the customer: numbered text, which every WhatsApp client shows the same. */
export function clarifyingQuestion(questions: readonly string[]): string {
  const items = questions.map((q, i) => `${i + 1}) ${q.trim().replace(/[?？.!\s]+$/u, '')}`);
  const numbers = questions.map((_, i) => String(i + 1));
  const list = `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
  const reply = `${numbers.slice(0, -1).join(', ')} or ${numbers[numbers.length - 1]}`;
  return `Do you mean ${list}? Reply ${reply}`;
}

/** Meta's limits on an interactive list: its rows, a row's title and description, the button. */
export const LIST_LIMITS = { rows: 10, title: 24, description: 72, button: 20, body: 1024 } as const;

export interface ChoiceRow {
  id: string;
  title: string;
  description?: string;
}

/**
 * The same question's options as rows of a Cloud API list: "2) Delivery days", cut to fit with "…"
 * (the full question goes in the description). The number leads each title so that titles stay
 * distinct and a picked row reads like a typed "2".
 */
export function clarifyListRows(questions: readonly string[]): ChoiceRow[] {
  return questions.slice(0, LIST_LIMITS.rows).map((q, i) => {
    const question = q.trim().replace(/[?？.!\s]+$/u, '');
    const title = `${i + 1}) ${question}`;
    const row: ChoiceRow = { id: `choice-${i + 1}`, title: cut(title, LIST_LIMITS.title) };
    if (row.title !== title) row.description = cut(question, LIST_LIMITS.description);
    return row;
  });
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
