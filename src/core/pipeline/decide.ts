import type { WorkspaceSettings } from '../../shared/settings';
import { assertNever } from '../errors';
import type { ChatKind } from '../whatsapp/provider';
import { openness } from './business-hours';
import { findKeyword, normalizeText } from './normalize-text';
import type { Action, Bot, ConversationState, DecideMessage, Decision } from './types';

/**
 * The pipeline's one decision, as a pure function: the same message, settings, bot, state and clock
 * always give the same actions. No I/O, no clock of its own, so the policies below are tested as tables
 * (decide.test.ts) and a decision can be replayed from the database.
 *
 * Order of the policies, and why:
 *  1. ignored chat kinds (groups, status, broadcasts, newsletters): not a customer talking to the shop;
 *     the chat is not even tracked.
 *  2. undecryptable: nothing to read; logged, never answered (answering a message we could not read
 *     would be a guess).
 *  3. a chat waiting for a human, then a chat the owner is answering by hand: the bot keeps out.
 *  4. hand-off keywords: before the flood guard and the greeting, so "I want a human" is never lost in
 *     a burst and a newcomer who asks for a person gets the hand-off notice, not a greeting. Then a
 *     stale message (older than `staleAfterHours` when it reached the shop: the PC was off) goes to a
 *     person too: a bot answer days late reads as a machine that was not listening.
 *  5. flood guard: one bot answer per window; later messages in the window are counted, not answered.
 *  6. greeting (a first-time contact), then the away message (once per closed period), then the bot's
 *     answer: sent in that order, so the customer reads welcome -> we are closed -> the answer.
 *  7. a bot that cannot answer hands the chat to a human, unless the greeting just went out (its
 *     "how can we help?" is the answer to "hi").
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
): Decision {
  const decision = decideReplies(message, settings, bot, state, now);
  return message.replyBy != null && now >= message.replyBy ? withoutReplies(decision, now) : decision;
}

/** Replying is no longer allowed: the same decision with no reply, and the chat with a person. */
function withoutReplies(decision: Decision, now: number): Decision {
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
    stateChanges: { ...changes, handoff: { since: now, reason } },
    status: 'processed',
  };
}

function decideReplies(
  message: DecideMessage,
  settings: WorkspaceSettings,
  bot: Bot,
  state: ConversationState | null,
  now: number,
): Decision {
  const ignoredKind = ignoredChatKind(message.chatKind, settings.ignore);
  if (ignoredKind !== null) return ignore(`ignored-${ignoredKind}`, {}, 'ignored');

  const isNew = state === null;
  const changes: Partial<ConversationState> = { lastInboundAt: now };
  if (isNew) changes.firstSeenAt = now;

  if (message.kind === 'undecryptable') return ignore('undecryptable', changes, 'ignored');
  if (state?.handoff != null) return ignore('handoff-active', changes, 'processed');
  if (state?.botPausedUntil != null && now < state.botPausedUntil) {
    return ignore('owner-paused', changes, 'processed');
  }

  const hours = openness(settings, now);
  const awayDue = !hours.open && state?.lastAwayPeriod !== hours.period;
  const awayReply = (): Action => {
    if (!hours.open) changes.lastAwayPeriod = hours.period;
    return reply('away', settings.businessHours.awayMessage);
  };
  /** Outside hours the away message replaces the hand-off notice: "someone will reply shortly" would be untrue. */
  const handoff = (reason: string, replies: Action[]): Decision => {
    changes.handoff = { since: now, reason };
    const actions = [...replies];
    if (!hours.open) {
      if (awayDue && !replies.some((a) => a.type === 'reply' && a.kind === 'away')) actions.push(awayReply());
    } else if (settings.handoff.message.trim() !== '') {
      actions.push(reply('handoff', settings.handoff.message));
    }
    actions.push({ type: 'handoff', reason });
    return { actions, reason: reason.split(':')[0]!, stateChanges: changes, status: 'processed' };
  };

  const text = message.text ?? '';
  const keyword = findKeyword(normalizeText(text), settings.handoff.keywords.map(normalizeText));
  if (keyword !== null) return handoff(`handoff-keyword:${keyword}`, []);

  const staleMs = settings.handoff.staleAfterHours * 3_600_000;
  if (
    staleMs > 0 &&
    message.sentAt != null &&
    now - message.sentAt > staleMs &&
    message.kind !== 'unsupported'
  ) {
    return handoff('handoff-stale', []);
  }

  const flood = settings.floodGuard;
  if (
    flood.enabled &&
    state?.floodWindowStart != null &&
    now - state.floodWindowStart < flood.windowSeconds * 1000
  ) {
    changes.floodCount = state.floodCount + 1;
    return ignore('flood-guard', changes, 'processed');
  }

  const replies: Action[] = [];
  const greeted = isNew && settings.greeting.enabled;
  if (greeted) {
    replies.push(reply('greeting', settings.greeting.text));
    changes.greetedAt = now;
  }
  if (awayDue) replies.push(awayReply());
  const prefix = replies.map((a) => (a.type === 'reply' ? a.kind : a.type)).join('+');
  const withPrefix = (reason: string) => (prefix === '' ? reason : `${prefix}+${reason}`);

  if (message.kind !== 'text' || text.trim() === '') {
    // A photo without a caption is a question only a person can read; a reaction or a sticker is not.
    if (message.kind === 'media' && !greeted && settings.handoff.onBotAbstain) {
      return handoff('handoff-media', replies);
    }
    return decided(replies, withPrefix(`no-text-${message.kind}`), changes);
  }

  const answer = bot.answer(text);
  if (answer.kind === 'answer' && answer.confidence >= settings.faq.threshold) {
    replies.push({
      type: 'reply',
      kind: answer.source,
      text: answer.text,
      faqId: answer.faqId,
      confidence: answer.confidence,
    });
    changes.floodWindowStart = now;
    changes.floodCount = 1;
    return decided(replies, withPrefix(`${answer.source}-answer`), changes);
  }
  const why = answer.kind === 'abstain' ? answer.reason : 'low-confidence';
  if (greeted) return decided(replies, withPrefix('abstain-covered'), changes);
  if (settings.handoff.onBotAbstain) return handoff(`handoff-bot:${why}`, replies);
  return decided(replies, withPrefix(`bot-abstained-${why}`), changes);
}

function reply(kind: 'greeting' | 'away' | 'handoff', text: string): Action {
  return { type: 'reply', kind, text, faqId: null, confidence: null };
}

function ignore(reason: string, changes: Partial<ConversationState>, status: Decision['status']): Decision {
  return { actions: [{ type: 'ignore', reason }], reason, stateChanges: changes, status };
}

function decided(replies: Action[], reason: string, changes: Partial<ConversationState>): Decision {
  if (replies.length === 0) return ignore(reason, changes, 'processed');
  return { actions: replies, reason, stateChanges: changes, status: 'processed' };
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
