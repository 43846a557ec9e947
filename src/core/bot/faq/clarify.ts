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
