import type { WorkspaceSettings } from '../../shared/settings';
import { fillReplyText, hoursToday } from '../../shared/reply-text';
import { businessHoursNow, type OpenOrClosed } from './business-hours';
import { findKeyword, exactForm } from './exact-form';
import { findPersonRequest } from './person-request';
import { readSmallTalk, type SmallTalk } from './small-talk';
import type { Action, Bot, ConversationState, DecideMessage, Decision } from './types';

/** What the owner's texts may name (see shared/reply-text). */
export interface ShopProfile {
  name: string;
}
export const NO_PROFILE: ShopProfile = { name: '' };

/**
 * One message being decided: what decide() read of it once (its text, small talk, a request for a
 * person, the shop's hours) and what the decision builds up (state changes, replies in order). Each
 * policy step of decide() reads and extends it; nothing here does I/O.
 */
export interface Turn {
  message: DecideMessage;
  settings: WorkspaceSettings;
  bot: Bot;
  state: ConversationState | null;
  now: number;
  shop: ShopProfile;
  isNew: boolean;
  text: string;
  talk: SmallTalk;
  /** 'keyword:<word>' or the phrase that asked for a person; null when nobody was asked for. */
  request: string | null;
  hours: OpenOrClosed;
  /** The away message is owed (closed, enabled, and not yet sent this closed period). */
  awayDue: boolean;
  changes: Partial<ConversationState>;
  replies: Action[];
}

export function startTurn(
  message: DecideMessage,
  settings: WorkspaceSettings,
  bot: Bot,
  state: ConversationState | null,
  now: number,
  shop: ShopProfile,
): Turn {
  const isNew = state === null;
  const changes: Partial<ConversationState> = { lastInboundAt: now };
  if (isNew) changes.firstSeenAt = now;
  const text = message.kind === 'text' ? (message.text ?? '') : '';
  const keyword = findKeyword(exactForm(text), settings.handoff.keywords.map(exactForm));
  const hours = businessHoursNow(settings, now);
  return {
    message,
    settings,
    bot,
    state,
    now,
    shop,
    isNew,
    text,
    talk: readSmallTalk(text),
    request: keyword !== null ? `keyword:${keyword}` : findPersonRequest(text),
    hours,
    awayDue: !hours.open && settings.businessHours.awayEnabled && state?.lastAwayPeriod !== hours.period,
    changes,
    replies: [],
  };
}

/** The owner's own texts, with {business} and {hours} filled in (today's hours only when asked for). */
export function ownerText(
  settings: WorkspaceSettings,
  shop: ShopProfile,
  now: number,
  kind: 'greeting' | 'away' | 'handoff',
  text: string,
): Action {
  return {
    type: 'reply',
    kind,
    text: fillReplyText(text, {
      business: shop.name,
      hours: text.includes('{hours}') ? hoursToday(settings, now) : '',
    }),
    faqId: null,
    confidence: null,
  };
}

export function awayReply(t: Turn): Action {
  if (!t.hours.open) t.changes.lastAwayPeriod = t.hours.period;
  return ownerText(t.settings, t.shop, t.now, 'away', t.settings.businessHours.awayMessage);
}

export function greet(t: Turn): void {
  if (!t.settings.greeting.enabled) return;
  t.replies.push(ownerText(t.settings, t.shop, t.now, 'greeting', t.settings.greeting.text));
  t.changes.greetedAt = t.now;
}

/** The reason with the replies already composed in front of it ('greeting+faq-answer'). */
export function withPrefix(t: Turn, reason: string): string {
  const prefix = t.replies.map((a) => (a.type === 'reply' ? a.kind : a.type)).join('+');
  return prefix === '' ? reason : `${prefix}+${reason}`;
}

/**
 * The chat goes to a person. Outside hours the away message replaces the hand-off notice: "someone
 * will reply shortly" would be untrue.
 */
export function handoff(t: Turn, reason: string, replies: Action[], extra: Partial<Decision> = {}): Decision {
  t.changes.handoff = t.state?.handoff ?? { since: t.now, reason };
  t.changes.waiting = t.state?.waiting ?? { since: t.now, reason };
  const actions = [...replies];
  if (!t.hours.open) {
    if (t.awayDue && !replies.some((a) => a.type === 'reply' && a.kind === 'away'))
      actions.push(awayReply(t));
  } else if (t.settings.handoff.messageEnabled && t.settings.handoff.message.trim() !== '') {
    actions.push(ownerText(t.settings, t.shop, t.now, 'handoff', t.settings.handoff.message));
  }
  actions.push({ type: 'handoff', reason });
  return {
    actions,
    reason: reason.split(':')[0]!,
    outcome: 'person',
    ...extra,
    stateChanges: t.changes,
    status: 'processed',
  };
}

/** Deliberately not answered, for `reason`. */
export function left(
  reason: string,
  changes: Partial<ConversationState>,
  status: Decision['status'] = 'processed',
): Decision {
  return { actions: [{ type: 'ignore', reason }], reason, outcome: 'left', stateChanges: changes, status };
}

export function decided(
  replies: Action[],
  reason: string,
  changes: Partial<ConversationState>,
  outcome: Decision['outcome'],
  extra: Partial<Decision> = {},
): Decision {
  if (replies.length === 0) return { ...left(reason, changes), outcome, ...extra };
  return { actions: replies, reason, outcome, ...extra, stateChanges: changes, status: 'processed' };
}
