import type { Tier } from './types';

/**
 * Which model tier answers a message: a cheap, explainable rule table, no model involved. Money and
 * anger go to the smart tier (a wrong answer there loses a sale or a customer); greetings and simple
 * questions go to the fast, cheap tier. Patterns cover Nigerian English and Pidgin ("I wan buy",
 * "wetin be last price", "dis thing don spoil").
 */

export type FaqBand = 'high' | 'medium' | 'low';

export interface RouteInput {
  text: string;
  /** How close the FAQ matcher came (see `faqBand`). */
  faqBand: FaqBand;
  /** Messages in the chat's recent history (both sides), not counting this one. */
  recentMessages: number;
}

export interface RouteDecision {
  tier: Tier;
  /** A short code for the log: 'complaint', 'negotiation', 'buying-intent', 'greeting', ... */
  reason: string;
  /**
   * The customer is buying or complaining: worth more than an FAQ that matched a word of it (the
   * delivery FAQ for "I want 2 tins of milk, can you deliver to Ajah?"), so hybrid mode skips the FAQ.
   */
  outranksFaq: boolean;
  /** Whether this may fall back to the fast tier when no smart provider can answer (not a complaint). */
  allowFastFallback: boolean;
}

/** Longer than this is a story, not a quick question. */
export const LONG_MESSAGE_CHARS = 200;
/** A chat this long that the FAQs still cannot place needs the better model to follow it. */
export const LONG_CONVERSATION_MESSAGES = 8;

/** Confidence bands around the workspace's FAQ threshold: at or above it, or at least half of it. */
export function faqBand(confidence: number | null | undefined, threshold: number): FaqBand {
  if (confidence === null || confidence === undefined) return 'low';
  if (confidence >= threshold) return 'high';
  return confidence >= threshold / 2 ? 'medium' : 'low';
}

const COMPLAINT =
  /\b(still (waiting|expecting)|(has|have|hasn'?t|haven'?t|has not|have not|don'?t|didn'?t|did not|never) (come|arrive\w*|reach\w*|deliver\w*)|not (come|reach\w*) yet|nobody (is )?(answer\w*|repl\w*|pick\w*)|expired|rash(es)?|leak\w*|torn|bad (product|service|item|goods)|terrible|worst|poor (quality|service)|not happy|unhappy|not satisfied|refund|money back|wahala|fake|scam|fraud|disappoint\w*|complain\w*|broken|damaged?|spoil(t|ed)?|don spoil|not working|no dey work|never (reach|arrive|come|deliver\w*)|no reach|not (delivered|received|arrived)|wrong (item|size|colou?r|order|thing)|angry|vex|thief|ole|rubbish|nonsense|cheat\w*|useless)\b/;
const NEGOTIATION =
  /\b(last price|final price|best price|reduce|reduction|discount|bargain|cheaper|too (costly|expensive|much|cost)|e cost|bring (it |am )?down|remove (small|something)|do (am |it )?for me|negotiable|slash)\b/;
const BUYING =
  /\b(i (wan|want|wanna|go|will|would like to|need to) (buy|order|pay|take|collect|get)|(i|we) (want|wan|need|go take|would like) (\d+|one|two|three|four|five|six|ten|a dozen|a carton|a pack|a bag|a tin)\b|(\d+|two|three|four|five|six|ten) (tins?|bags?|cartons?|packs?|packets?|bottles?|boxes?|crates?|dozens?|sachets?|rolls?|pairs?|units?|yards?)\b|order(ing|ed)?|buy|purchase|checkout|add to cart|send (me )?(your )?account|account (number|details)|how much (for|be|is|are) (\d+|two|three|four|five|six|ten|dozen|carton|pieces|pcs)|\d+ (pieces|pcs|cartons|packs)|deliver (am|it|them) to|i go pay)\b/;
const GREETING =
  /^(hi+|hello+|hey+|helo|good (morning|afternoon|evening|day|night)|gm|morning|how far|howfa|how you dey|how are you|hw far|bros|sis|madam|oga|ma|sir|e kaaro|ekaaro|e kaasan|e kale|kedu|sannu|thanks?( you)?|thank u|tnx|ok(ay)?|alright|cool)\b/;
/** Punctuation, emoji and filler left once the greeting word is taken off. */
const GREETING_REST =
  /^[\s\p{P}\p{S}]*(please|pls|abeg|o+|oh|sir|ma|madam|bros|oga|dear|there)?[\s\p{P}\p{S}]*$/u;

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function isGreeting(text: string): boolean {
  const match = GREETING.exec(text);
  if (match === null) return false;
  return GREETING_REST.test(text.slice(match[0].length)) || text.length <= 30;
}

const fast = (reason: string): RouteDecision => ({
  tier: 'fast',
  reason,
  outranksFaq: false,
  allowFastFallback: true,
});
const smart = (
  reason: string,
  flags: Partial<Pick<RouteDecision, 'outranksFaq' | 'allowFastFallback'>> = {},
): RouteDecision => ({ tier: 'smart', reason, outranksFaq: false, allowFastFallback: true, ...flags });

/** Smart rules first, in order of how costly a weak answer would be; the first that matches wins. */
export function routeMessage(input: RouteInput): RouteDecision {
  const text = normalise(input.text);
  // A complaint comes first even in a long message: it must never reach the fast tier.
  if (COMPLAINT.test(text)) return smart('complaint', { outranksFaq: true, allowFastFallback: false });
  if (input.text.length > LONG_MESSAGE_CHARS) return smart('long-message');
  if (NEGOTIATION.test(text)) return smart('negotiation');
  if (BUYING.test(text)) return smart('buying-intent', { outranksFaq: true });
  if (isGreeting(text)) return fast('greeting');
  if (input.faqBand === 'low' && input.recentMessages >= LONG_CONVERSATION_MESSAGES)
    return smart('long-conversation');
  if (input.faqBand === 'medium') return fast('faq-near-miss');
  return fast('simple-question');
}
