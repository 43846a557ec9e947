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
  /\b(not happy|unhappy|not satisfied|refund|money back|wahala|fake|scam|fraud|disappoint\w*|complain\w*|broken|damaged?|spoil(t|ed)?|don spoil|not working|no dey work|never (reach|arrive|come|deliver\w*)|no reach|not (delivered|received|arrived)|wrong (item|size|colou?r|order|thing)|angry|vex|thief|ole|rubbish|nonsense|cheat\w*|useless)\b/;
const NEGOTIATION =
  /\b(last price|final price|best price|reduce|reduction|discount|bargain|cheaper|too (costly|expensive|much|cost)|e cost|bring (it |am )?down|remove (small|something)|do (am |it )?for me|negotiable|slash)\b/;
const BUYING =
  /\b(i (wan|want|wanna|go|will|would like to|need to) (buy|order|pay|take|collect|get)|order(ing|ed)?|buy|purchase|checkout|add to cart|send (me )?(your )?account|account (number|details)|how much (for|be|is|are) (\d+|two|three|four|five|six|ten|dozen|carton|pieces|pcs)|\d+ (pieces|pcs|cartons|packs)|deliver (am|it|them) to|i go pay)\b/;
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

/** Smart rules first, in order of how costly a weak answer would be; the first that matches wins. */
export function routeMessage(input: RouteInput): RouteDecision {
  const text = normalise(input.text);
  if (input.text.length > LONG_MESSAGE_CHARS) return { tier: 'smart', reason: 'long-message' };
  if (COMPLAINT.test(text)) return { tier: 'smart', reason: 'complaint' };
  if (NEGOTIATION.test(text)) return { tier: 'smart', reason: 'negotiation' };
  if (BUYING.test(text)) return { tier: 'smart', reason: 'buying-intent' };
  if (isGreeting(text)) return { tier: 'fast', reason: 'greeting' };
  if (input.faqBand === 'low' && input.recentMessages >= LONG_CONVERSATION_MESSAGES)
    return { tier: 'smart', reason: 'long-conversation' };
  if (input.faqBand === 'medium') return { tier: 'fast', reason: 'faq-near-miss' };
  return { tier: 'fast', reason: 'simple-question' };
}
