import type { WorkspaceSettings } from '../../shared/settings';
import { assertNever } from '../errors';
import type { ChatKind } from '../whatsapp/provider';
import { businessHoursNow } from './business-hours';
import { orderOrLongMessage } from './order-message';
import { clarificationFor, clarifyingQuestion } from '../bot/faq/clarify';
import { readClarifyReply } from './clarify-reply';
import {
  awayReply,
  decided,
  greet,
  handoff,
  left,
  NO_PROFILE,
  ownerText,
  startTurn,
  withPrefix,
  type ShopProfile,
  type Turn,
} from './decide-turn';
import type { Action, Bot, ConversationState, DecideMessage, Decision, FaqCandidate } from './types';

export type { ShopProfile } from './decide-turn';

/** A customer who greets again after this long gets the greeting again ("hello??" the next morning). */
const REGREET_AFTER_MS = 6 * 3_600_000;
/** Candidates a clarifying question is chosen from. */
const CLARIFY_CANDIDATES = 4;
/** WhatsApp takes 4,096 characters a message: composed replies stay well under it, else go apart. */
const MAX_COMPOSED_CHARS = 4000;

/**
 * The pipeline's one decision, as a pure function: the same message, settings, bot, state and clock
 * always give the same actions. No I/O, no clock of its own, so the policies below are tested as tables
 * (decide.test.ts) and by generated conversations (decide.property.test.ts), and a decision can be
 * replayed from the database.
 *
 * Every message ends in exactly one outcome (Decision.outcome): answered, with a person who has been
 * told, deliberately left for a reason, or unanswered (hand-offs off; in Unanswered). Order of the
 * policies, and why:
 *  1. ignored chat kinds (groups, status, broadcasts, newsletters): not a customer talking to the shop;
 *     the chat is not even tracked. Unreadable messages: logged, never answered (it would be a guess).
 *  2. a chat with a person (handed over, taken over, or the owner answered by hand a moment ago): the
 *     bot keeps out, but the message is not lost: the chat waits for the person ("Needs you"), unless
 *     it is only small talk ("thanks" after the owner's answer). A new request for a person there is
 *     acknowledged and alerts the owner again.
 *  3. a request for a person (hand-off keywords, "let me talk to someone", "call me", Pidgin): before
 *     everything else, so it is never lost in a burst and a newcomer gets the hand-off notice.
 *  4. stale (older than `staleAfterHours` when it reached the shop: the PC was off), orders and long
 *     messages: a person, not a late or beside-the-point bot answer.
 *  5. small talk (small-talk.ts): a greeting gets the greeting (a newcomer, or again after hours of
 *     silence); thanks/ok/emoji/goodbye are left, never handed over. A greeting in front of a question
 *     leaves the question, which is decided as if it came alone.
 *  6. flood guard: the same question again inside the window (the bot would give the same FAQ) is
 *     counted, not answered twice; a different question is decided as usual.
 *  7. greeting (a first-time contact), the away message (once per closed period), then the bot's
 *     answer, or the hand-off when it has none: composed into one message, welcome -> we are closed ->
 *     the answer.
 *     Unsure between a few FAQs (clarify on), the bot asks "Do you mean 1) ... or 2) ...?" instead;
 *     the customer's next message picks one ("2", "the second one"), refuses ("neither": a person),
 *     or asks again in other words (answered if the bot is now sure, else a person). No reply in
 *     time is handed over by the pipeline (`clarifyTimedOut`).
 *  8. past `replyBy` (a Cloud API message more than 24 hours old: the PC was off) no free-form reply
 *     can go out, Meta would refuse it (131047): the replies are dropped and the chat goes to a person,
 *     who can send an approved template. The bot is not even asked (ai-question.ts skips the AI).
 */
export function decide(
  message: DecideMessage,
  settings: WorkspaceSettings,
  bot: Bot,
  state: ConversationState | null,
  now: number,
  shop: ShopProfile = NO_PROFILE,
): Decision {
  const decision = decideReplies(message, settings, bot, state, now, shop);
  const allowed =
    message.replyBy != null && now >= message.replyBy ? withoutReplies(decision, state, now) : decision;
  return composed(allowed);
}

/** Replying is no longer allowed: the same decision with no reply, and the chat with a person. */
function withoutReplies(decision: Decision, state: ConversationState | null, now: number): Decision {
  const dropped = decision.actions.filter((a) => a.type === 'reply');
  if (dropped.length === 0) return decision;
  // What a dropped reply would have recorded as done did not happen.
  const changes = { ...decision.stateChanges };
  for (const action of dropped) {
    if (action.type !== 'reply') continue;
    if (action.kind === 'greeting') delete changes.greetedAt;
    if (action.kind === 'away') delete changes.lastAwayPeriod;
    if (action.kind === 'faq' || action.kind === 'ai') {
      delete changes.floodWindowStart;
      delete changes.floodCount;
      delete changes.lastAnswerFaqId;
    }
  }
  const handoff = decision.actions.find((a) => a.type === 'handoff');
  if (handoff !== undefined) {
    return {
      ...decision,
      actions: [handoff],
      reason: `${decision.reason}+window-closed`,
      stateChanges: changes,
    };
  }
  // A new decision: what the dropped replies were (an answer, a clarifying question) no longer applies.
  const reason = 'handoff-window-closed';
  return {
    actions: [{ type: 'handoff', reason }],
    reason,
    outcome: 'person',
    stateChanges: {
      ...changes,
      handoff: { since: now, reason },
      waiting: state?.waiting ?? { since: now, reason },
    },
    status: 'processed',
  };
}

/**
 * One message instead of three (a newcomer at night must not get the greeting, then "we are closed",
 * then the answer apart): replies of one decision are joined, in order, into the last one's kind.
 */
function composed(decision: Decision): Decision {
  const replies = decision.actions.filter((a) => a.type === 'reply');
  if (replies.length < 2) return decision;
  const text = replies.map((r) => r.text.trim()).join('\n\n');
  if (text.length > MAX_COMPOSED_CHARS) return decision;
  const last = replies[replies.length - 1]!;
  const answer = replies.find((r) => r.faqId !== null || r.confidence !== null) ?? last;
  const choices = replies.find((r) => r.choices !== undefined)?.choices;
  const one: Action = {
    type: 'reply',
    kind: last.kind,
    text,
    faqId: answer.faqId,
    confidence: answer.confidence,
    parts: replies.map((r) => r.kind),
    ...(choices !== undefined && { choices }),
  };
  return { ...decision, actions: [one, ...decision.actions.filter((a) => a.type !== 'reply')] };
}

/** The policies in order (see decide()); the first that settles the message wins. */
function decideReplies(
  message: DecideMessage,
  settings: WorkspaceSettings,
  bot: Bot,
  state: ConversationState | null,
  now: number,
  shop: ShopProfile,
): Decision {
  // 1. Ignored chat kinds and unreadable messages.
  const ignoredKind = ignoredChatKind(message.chatKind, settings.ignore);
  if (ignoredKind !== null) return left(`ignored-${ignoredKind}`, {}, 'ignored');
  const t = startTurn(message, settings, bot, state, now, shop);
  if (message.kind === 'undecryptable') return left('undecryptable', t.changes, 'ignored');
  // 2. The chat is with a person. 3. A request for a person.
  const withPerson = chatWithPerson(t);
  if (withPerson !== null) return withPerson;
  if (t.request !== null) return handoff(t, requestReason(t.request, false), []);
  // 4. Stale, orders and long messages.
  const staleMs = settings.handoff.staleAfterHours * 3_600_000;
  if (
    staleMs > 0 &&
    message.sentAt != null &&
    now - message.sentAt > staleMs &&
    message.kind !== 'unsupported'
  ) {
    return handoff(t, 'handoff-stale', []);
  }
  if (t.isNew) greet(t);
  const shape =
    message.kind === 'text' ? orderOrLongMessage(t.text, settings.handoff.longMessageChars) : null;
  if (shape !== null) return handoff(t, `handoff-${shape}`, t.replies);
  const clarifying = clarifyReply(t);
  if (clarifying.decision !== null) return clarifying.decision;
  // 5. Small talk; then what has no text to answer.
  const talk = smallTalk(t);
  if (talk !== null) return talk;
  if (t.awayDue) t.replies.push(awayReply(t));
  const noText = withoutText(t);
  if (noText !== null) return noText;
  // 6. and 7.
  return answer(t, clarifying.pending !== null);
}

/** 'handoff-keyword:agent', 'handoff-request:talk ... someone'; '-again' in a chat already with a person. */
function requestReason(r: string, again: boolean): string {
  const code = r.startsWith('keyword:') ? 'handoff-keyword' : 'handoff-request';
  return `${code}${again ? '-again' : ''}:${r.startsWith('keyword:') ? r.slice(8) : r}`;
}

/** 2. The chat is with a person: the bot keeps out, the person is told; null when it is not. */
function chatWithPerson(t: Turn): Decision | null {
  const { state, now, changes, talk } = t;
  const withPerson = state?.handoff != null;
  const paused = state?.botPausedUntil != null && now < state.botPausedUntil;
  if (!withPerson && !paused) return null;
  const why = withPerson ? 'handoff-active' : 'owner-paused';
  // Asked again: acknowledged every time, and the owner alerted again.
  if (t.request !== null) return handoff(t, requestReason(t.request, true), []);
  if (talk.only && talk.kind !== 'presence') return left(`${why}+small-talk-${talk.kind}`, changes);
  // A sticker or a reaction is not something to answer; a photo (a transfer receipt) is.
  if (t.message.kind === 'unsupported') return left(`${why}+no-text-unsupported`, changes);
  changes.waiting = state?.waiting ?? { since: now, reason: why };
  return {
    actions: [{ type: 'ignore', reason: why }],
    reason: why,
    outcome: 'person',
    stateChanges: changes,
    status: 'processed',
  };
}

/**
 * A clarifying question waits for its answer: a pick or a refusal ends it here; small talk leaves it
 * standing; anything else is decided as a question (and goes to a person if the bot is still unsure).
 * `pending`: the question still stands for this message.
 */
function clarifyReply(t: Turn): { pending: object | null; decision: Decision | null } {
  const { state, now, talk, bot, changes, replies } = t;
  const asked = state?.clarification ?? null;
  const pending = asked !== null && now < asked.expiresAt && t.message.kind === 'text' ? asked : null;
  if (asked !== null && !(pending !== null && talk.only)) changes.clarification = null;
  if (pending === null || talk.only) return { pending, decision: null };
  const offered = pending.faqIds.map((id) => bot.faq?.(id));
  const questions = offered.map((f) => f?.question ?? '');
  // "Good morning, 2" picks too: the words after a greeting are read when the whole is not a pick.
  const whole = readClarifyReply(t.text, questions);
  const pick =
    whole.kind === 'other' && talk.rest.trim() !== '' ? readClarifyReply(talk.rest, questions) : whole;
  if (pick.kind === 'none') {
    return { pending, decision: handoff(t, 'handoff-clarify-none', replies, { clarify: { step: 'none' } }) };
  }
  if (pick.kind !== 'pick') return { pending, decision: null };
  const faq = offered[pick.index];
  if (faq === undefined) {
    return { pending, decision: handoff(t, 'handoff-clarify-gone', replies, { clarify: { step: 'gone' } }) };
  }
  const reason = withPrefix(t, `clarify-picked-${pick.index + 1}`);
  replies.push({
    type: 'reply',
    kind: 'faq',
    text: faq.answer,
    faqId: faq.faqId,
    confidence: faq.confidence,
  });
  changes.floodWindowStart = now;
  changes.floodCount = 1;
  changes.lastAnswerFaqId = faq.faqId;
  const clarify = { step: 'picked', choice: pick.index + 1 } as const;
  return { pending, decision: decided(replies, reason, changes, 'answered', { clarify }) };
}

/** 5. Small talk: a greeting gets the greeting (and the away message); thanks, ok, bye are left. */
function smallTalk(t: Turn): Decision | null {
  const { talk, state, now, replies, changes } = t;
  if (t.message.kind !== 'text' || !talk.only) return null;
  const greeting = talk.kind === 'greeting' || talk.kind === 'presence';
  const quietFor = state?.lastInboundAt == null ? Infinity : now - state.lastInboundAt;
  if (greeting && !t.isNew && quietFor >= REGREET_AFTER_MS) greet(t);
  if (greeting && t.awayDue) replies.push(awayReply(t));
  const reason = withPrefix(t, `small-talk-${talk.kind}`);
  if (replies.length === 0) return left(reason, changes);
  return { actions: replies, reason, outcome: 'answered', stateChanges: changes, status: 'processed' };
}

/** A photo without a caption is a question only a person can read; a reaction or a sticker is not. */
function withoutText(t: Turn): Decision | null {
  const { message, replies, changes } = t;
  if (message.kind === 'text' && t.text.trim() !== '') return null;
  if (message.kind === 'media') {
    if (t.settings.handoff.onBotAbstain) return handoff(t, 'handoff-media', replies);
    return decided(replies, withPrefix(t, 'no-text-media'), changes, 'unanswered');
  }
  return decided(replies, withPrefix(t, `no-text-${message.kind}`), changes, 'left');
}

/** 6. The flood guard, 7. the bot's answer, a clarifying question, or the hand-off when it has none. */
function answer(t: Turn, clarifyPending: boolean): Decision {
  const { settings, state, now, replies, changes } = t;
  const question = t.talk.rest.trim() === '' ? t.text : t.talk.rest;
  const result = t.bot.answer(question);
  const confident = result.kind === 'answer' && result.confidence >= settings.faq.threshold;
  const flood = settings.floodGuard;
  const inWindow =
    flood.enabled &&
    state?.floodWindowStart != null &&
    now - state.floodWindowStart < flood.windowSeconds * 1000;
  if (inWindow && confident && result.faqId !== null && result.faqId === state?.lastAnswerFaqId) {
    changes.floodCount = (state?.floodCount ?? 0) + 1;
    return left(withPrefix(t, 'flood-guard-repeat'), changes);
  }
  if (result.kind === 'answer' && confident) {
    const reason = withPrefix(t, `${result.source}-answer`);
    replies.push({
      type: 'reply',
      kind: result.source,
      text: result.text,
      faqId: result.faqId,
      confidence: result.confidence,
    });
    if (inWindow) {
      changes.floodCount = (state?.floodCount ?? 0) + 1;
    } else {
      changes.floodWindowStart = now;
      changes.floodCount = 1;
    }
    changes.lastAnswerFaqId = result.faqId;
    return decided(replies, reason, changes, 'answered');
  }
  return abstain(t, question, result.kind === 'abstain' ? result.reason : 'low-confidence', clarifyPending);
}

/** The bot has no confident answer: ask which FAQ is meant, or a person, or Unanswered. */
function abstain(t: Turn, question: string, why: string, clarifyPending: boolean): Decision {
  const { settings, now, replies, changes } = t;
  if (clarifyPending) {
    const clarify = { step: 'unclear' } as const;
    if (settings.handoff.onBotAbstain) return handoff(t, 'handoff-clarify-unclear', replies, { clarify });
    const reason = withPrefix(t, 'bot-abstained-clarify-unclear');
    return decided(replies, reason, changes, 'unanswered', { clarify, abstained: true });
  }
  const offer = settings.faq.clarify ? clarifyOffer(t.bot, question, settings.faq.threshold) : null;
  if (offer !== null) {
    const reason = withPrefix(t, `clarify-asked-${offer.length}`);
    replies.push({
      type: 'reply',
      kind: 'faq',
      text: clarifyingQuestion(offer.map((f) => f.question)),
      faqId: null,
      confidence: null,
      choices: offer.map((f) => f.question),
    });
    changes.clarification = {
      faqIds: offer.map((f) => f.faqId),
      askedAt: now,
      expiresAt: now + settings.faq.clarifyWaitMinutes * 60_000,
    };
    return decided(replies, reason, changes, 'answered', {
      clarify: { step: 'asked', offered: offer.length },
    });
  }
  if (settings.handoff.onBotAbstain) return handoff(t, `handoff-bot:${why}`, replies, { abstained: true });
  return decided(replies, withPrefix(t, `bot-abstained-${why}`), changes, 'unanswered', { abstained: true });
}

/** The FAQs to offer in a clarifying question, or null when the bot would not ask (see clarify.ts). */
function clarifyOffer(bot: Bot, question: string, threshold: number): FaqCandidate[] | null {
  const ranked = bot.candidates?.(question, CLARIFY_CANDIDATES) ?? [];
  const ids = clarificationFor(ranked, threshold);
  if (ids === null) return null;
  return ids.map((id) => ranked.find((c) => c.faqId === id)!);
}

/**
 * A clarifying question nobody answered within `clarifyWaitMinutes`: the chat goes to a person, with
 * the hand-off notice when the shop is open (outside hours the away message already said when). Pure,
 * like decide(); null when there is nothing to do (answered meanwhile, or the chat is with a person).
 */
export function clarifyTimedOut(
  settings: WorkspaceSettings,
  state: ConversationState,
  now: number,
  shop: ShopProfile = NO_PROFILE,
): Decision | null {
  const asked = state.clarification;
  if (asked === null || now < asked.expiresAt) return null;
  const reason = 'handoff-clarify-timeout';
  const withPerson = state.handoff != null || (state.botPausedUntil != null && now < state.botPausedUntil);
  const changes: Partial<ConversationState> = { clarification: null };
  if (withPerson) return left('clarify-timeout+with-person', changes);
  changes.handoff = { since: now, reason };
  changes.waiting = state.waiting ?? { since: now, reason };
  const actions: Action[] = [];
  const open = businessHoursNow(settings, now).open;
  if (open && settings.handoff.messageEnabled && settings.handoff.message.trim() !== '') {
    actions.push(ownerText(settings, shop, now, 'handoff', settings.handoff.message));
  }
  actions.push({ type: 'handoff', reason });
  return { actions, reason, outcome: 'person', stateChanges: changes, status: 'processed' };
}

function ignoredChatKind(kind: ChatKind, ignore: WorkspaceSettings['ignore']): ChatKind | null {
  switch (kind) {
    case 'direct':
      return null;
    case 'group':
      return ignore.groups ? kind : null;
    case 'status':
      return ignore.statusBroadcasts ? kind : null;
    case 'broadcast':
      return ignore.broadcasts ? kind : null;
    case 'newsletter':
      return ignore.newsletters ? kind : null;
    default:
      return assertNever(kind, 'chat kind');
  }
}
