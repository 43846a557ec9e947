import type { WorkspaceSettings } from '../../shared/settings';
import { assertNever } from '../errors';
import type { ChatKind } from '../whatsapp/provider';
import { fillReplyText, hoursToday } from '../../shared/reply-text';
import { openness } from './business-hours';
import { findKeyword, normalizeText } from './normalize-text';
import { orderOrLongMessage } from './order-message';
import { findPersonRequest } from './person-request';
import { readSmallTalk } from './small-talk';
import { clarificationFor, clarifyingQuestion } from '../bot/faq/clarify';
import { readClarifyReply } from './clarify-reply';
import type { Action, Bot, ConversationState, DecideMessage, Decision, FaqCandidate } from './types';

/** What the owner's texts may name (see shared/reply-text). */
export interface ShopProfile {
  name: string;
}
const NO_PROFILE: ShopProfile = { name: '' };

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
 *     who can send an approved template. The bot is not even asked (process.ts skips the AI).
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
 * One message instead of three (issue 13: a newcomer at night got the greeting, then "we are closed",
 * then the answer): replies of one decision are joined, in order, into the last one's kind.
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

function decideReplies(
  message: DecideMessage,
  settings: WorkspaceSettings,
  bot: Bot,
  state: ConversationState | null,
  now: number,
  shop: ShopProfile,
): Decision {
  /** The owner's own texts, with {business} and {hours} filled in (today's hours only when asked for). */
  const reply = (kind: 'greeting' | 'away' | 'handoff', text: string): Action => ({
    type: 'reply',
    kind,
    text: fillReplyText(text, {
      business: shop.name,
      hours: text.includes('{hours}') ? hoursToday(settings, now) : '',
    }),
    faqId: null,
    confidence: null,
  });
  const ignoredKind = ignoredChatKind(message.chatKind, settings.ignore);
  if (ignoredKind !== null) return left(`ignored-${ignoredKind}`, {}, 'ignored');

  const isNew = state === null;
  const changes: Partial<ConversationState> = { lastInboundAt: now };
  if (isNew) changes.firstSeenAt = now;

  if (message.kind === 'undecryptable') return left('undecryptable', changes, 'ignored');

  const text = message.kind === 'text' ? (message.text ?? '') : '';
  const talk = readSmallTalk(text);
  const keyword = findKeyword(normalizeText(text), settings.handoff.keywords.map(normalizeText));
  const request = keyword !== null ? `keyword:${keyword}` : findPersonRequest(text);

  const hours = openness(settings, now);
  const awayDue = !hours.open && settings.businessHours.awayEnabled && state?.lastAwayPeriod !== hours.period;
  const awayReply = (): Action => {
    if (!hours.open) changes.lastAwayPeriod = hours.period;
    return reply('away', settings.businessHours.awayMessage);
  };
  /** Outside hours the away message replaces the hand-off notice: "someone will reply shortly" would be untrue. */
  const handoff = (reason: string, replies: Action[]): Decision => {
    changes.handoff = state?.handoff ?? { since: now, reason };
    changes.waiting = state?.waiting ?? { since: now, reason };
    const actions = [...replies];
    if (!hours.open) {
      if (awayDue && !replies.some((a) => a.type === 'reply' && a.kind === 'away')) actions.push(awayReply());
    } else if (settings.handoff.messageEnabled && settings.handoff.message.trim() !== '') {
      actions.push(reply('handoff', settings.handoff.message));
    }
    actions.push({ type: 'handoff', reason });
    return {
      actions,
      reason: reason.split(':')[0]!,
      outcome: 'person',
      stateChanges: changes,
      status: 'processed',
    };
  };
  /** 'handoff-keyword:agent', 'handoff-request:talk ... someone'; '-again' in a chat already with a person. */
  const requestReason = (r: string, again: boolean) => {
    const code = r.startsWith('keyword:') ? 'handoff-keyword' : 'handoff-request';
    return `${code}${again ? '-again' : ''}:${r.startsWith('keyword:') ? r.slice(8) : r}`;
  };

  // 2. The chat is with a person: the bot keeps out, the person is told.
  const withPerson = state?.handoff != null;
  const paused = state?.botPausedUntil != null && now < state.botPausedUntil;
  if (withPerson || paused) {
    const why = withPerson ? 'handoff-active' : 'owner-paused';
    if (request !== null) {
      // Asked again: acknowledged every time, and the owner alerted again.
      return handoff(requestReason(request, true), []);
    }
    if (talk.only && talk.kind !== 'presence') return left(`${why}+small-talk-${talk.kind}`, changes);
    // A sticker or a reaction is not something to answer; a photo (a transfer receipt) is.
    if (message.kind === 'unsupported') return left(`${why}+no-text-unsupported`, changes);
    changes.waiting = state?.waiting ?? { since: now, reason: why };
    return {
      actions: [{ type: 'ignore', reason: why }],
      reason: why,
      outcome: 'person',
      stateChanges: changes,
      status: 'processed',
    };
  }

  // 3. A request for a person.
  if (request !== null) return handoff(requestReason(request, false), []);

  // 4. Stale, orders and long messages.
  const staleMs = settings.handoff.staleAfterHours * 3_600_000;
  if (
    staleMs > 0 &&
    message.sentAt != null &&
    now - message.sentAt > staleMs &&
    message.kind !== 'unsupported'
  ) {
    return handoff('handoff-stale', []);
  }

  const replies: Action[] = [];
  const greet = () => {
    if (!settings.greeting.enabled) return;
    replies.push(reply('greeting', settings.greeting.text));
    changes.greetedAt = now;
  };
  if (isNew) greet();
  const prefix = () => replies.map((a) => (a.type === 'reply' ? a.kind : a.type)).join('+');
  const withPrefix = (reason: string) => (prefix() === '' ? reason : `${prefix()}+${reason}`);

  const shape = message.kind === 'text' ? orderOrLongMessage(text, settings.handoff.longMessageChars) : null;
  if (shape !== null) return handoff(`handoff-${shape}`, replies);

  // A clarifying question waits for its answer: a pick or a refusal ends it here; small talk leaves it
  // standing; anything else is decided as a question (and goes to a person if the bot is still unsure).
  const asked = state?.clarification ?? null;
  const pending = asked !== null && now < asked.expiresAt && message.kind === 'text' ? asked : null;
  if (asked !== null && !(pending !== null && talk.only)) changes.clarification = null;
  if (pending !== null && !talk.only) {
    const offered = pending.faqIds.map((id) => bot.faq?.(id));
    const questions = offered.map((f) => f?.question ?? '');
    // "Good morning, 2" picks too: the words after a greeting are read when the whole is not a pick.
    const whole = readClarifyReply(text, questions);
    const pick =
      whole.kind === 'other' && talk.rest.trim() !== '' ? readClarifyReply(talk.rest, questions) : whole;
    if (pick.kind === 'none') return handoff('handoff-clarify-none', replies);
    if (pick.kind === 'pick') {
      const faq = offered[pick.index];
      if (faq === undefined) return handoff('handoff-clarify-gone', replies);
      const reason = withPrefix(`clarify-picked-${pick.index + 1}`);
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
      return decided(replies, reason, changes, 'answered');
    }
  }

  // 5. Small talk.
  if (message.kind === 'text' && talk.only) {
    const greeting = talk.kind === 'greeting' || talk.kind === 'presence';
    const quietFor = state?.lastInboundAt == null ? Infinity : now - state.lastInboundAt;
    if (greeting && !isNew && quietFor >= REGREET_AFTER_MS) greet();
    if (greeting && awayDue) replies.push(awayReply());
    const reason = withPrefix(`small-talk-${talk.kind}`);
    if (replies.length === 0) return left(reason, changes);
    return { actions: replies, reason, outcome: 'answered', stateChanges: changes, status: 'processed' };
  }

  if (awayDue) replies.push(awayReply());

  if (message.kind !== 'text' || text.trim() === '') {
    // A photo without a caption is a question only a person can read; a reaction or a sticker is not.
    if (message.kind === 'media') {
      if (settings.handoff.onBotAbstain) return handoff('handoff-media', replies);
      return decided(replies, withPrefix('no-text-media'), changes, 'unanswered');
    }
    return decided(replies, withPrefix(`no-text-${message.kind}`), changes, 'left');
  }

  const question = talk.rest.trim() === '' ? text : talk.rest;
  const answer = bot.answer(question);
  const confident = answer.kind === 'answer' && answer.confidence >= settings.faq.threshold;

  // 6. Flood guard: the same answer again inside the window is counted, not sent twice.
  const flood = settings.floodGuard;
  const inWindow =
    flood.enabled &&
    state?.floodWindowStart != null &&
    now - state.floodWindowStart < flood.windowSeconds * 1000;
  if (inWindow && confident && answer.faqId !== null && answer.faqId === state?.lastAnswerFaqId) {
    changes.floodCount = (state?.floodCount ?? 0) + 1;
    return left(withPrefix('flood-guard-repeat'), changes);
  }

  // 7. The answer, or the hand-off.
  if (answer.kind === 'answer' && confident) {
    const reason = withPrefix(`${answer.source}-answer`);
    replies.push({
      type: 'reply',
      kind: answer.source,
      text: answer.text,
      faqId: answer.faqId,
      confidence: answer.confidence,
    });
    if (inWindow) {
      changes.floodCount = (state?.floodCount ?? 0) + 1;
    } else {
      changes.floodWindowStart = now;
      changes.floodCount = 1;
    }
    changes.lastAnswerFaqId = answer.faqId;
    return decided(replies, reason, changes, 'answered');
  }
  const why = answer.kind === 'abstain' ? answer.reason : 'low-confidence';
  if (pending !== null) {
    if (settings.handoff.onBotAbstain) return handoff('handoff-clarify-unclear', replies);
    return decided(replies, withPrefix('bot-abstained-clarify-unclear'), changes, 'unanswered');
  }
  const offer = settings.faq.clarify ? clarifyOffer(bot, question, settings.faq.threshold) : null;
  if (offer !== null) {
    const reason = withPrefix(`clarify-asked-${offer.length}`);
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
    return decided(replies, reason, changes, 'answered');
  }
  if (settings.handoff.onBotAbstain) return handoff(`handoff-bot:${why}`, replies);
  return decided(replies, withPrefix(`bot-abstained-${why}`), changes, 'unanswered');
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
  if (
    openness(settings, now).open &&
    settings.handoff.messageEnabled &&
    settings.handoff.message.trim() !== ''
  ) {
    const text = settings.handoff.message;
    actions.push({
      type: 'reply',
      kind: 'handoff',
      text: fillReplyText(text, {
        business: shop.name,
        hours: text.includes('{hours}') ? hoursToday(settings, now) : '',
      }),
      faqId: null,
      confidence: null,
    });
  }
  actions.push({ type: 'handoff', reason });
  return { actions, reason, outcome: 'person', stateChanges: changes, status: 'processed' };
}

/** Deliberately not answered, for `reason`. */
function left(
  reason: string,
  changes: Partial<ConversationState>,
  status: Decision['status'] = 'processed',
): Decision {
  return { actions: [{ type: 'ignore', reason }], reason, outcome: 'left', stateChanges: changes, status };
}

function decided(
  replies: Action[],
  reason: string,
  changes: Partial<ConversationState>,
  outcome: Decision['outcome'],
): Decision {
  if (replies.length === 0) return { ...left(reason, changes), outcome };
  return { actions: replies, reason, outcome, stateChanges: changes, status: 'processed' };
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
