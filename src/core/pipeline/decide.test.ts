import { describe, expect, it } from 'vitest';
import { workspaceSettingsSchema, type WorkspaceSettingsInput } from '../../shared/settings';
import { EMPTY_CONVERSATION } from '../store/repositories/conversations';
import { decide } from './decide';
import { createExactMatchBot } from './faq-bot';
import type { Bot, ConversationState, DecideMessage, Decision } from './types';

/**
 * decide() as tables: each row is a message, the workspace's settings, the chat's state and the
 * clock, and the actions, reason and state changes that must come out. Times are Africa/Lagos (UTC+1).
 */
const WED_10AM = Date.UTC(2026, 10, 18, 9, 0); // Wed 10:00 Lagos: open
const WED_9PM = Date.UTC(2026, 10, 18, 20, 0); // Wed 21:00: closed since Wed 18:00
const THU_6AM = Date.UTC(2026, 10, 19, 5, 0); // Thu 06:00: same closed period as Wed 21:00
const THU_9PM = Date.UTC(2026, 10, 19, 20, 0); // Thu 21:00: the next closed period
const SUN_1PM = Date.UTC(2026, 10, 22, 12, 0); // Sun 13:00: closed since Sat 15:00
const MIN = 60_000;

const faqBot = createExactMatchBot([
  {
    id: 'faq-hours',
    question: 'What time do you open?',
    answer: 'We open 8am to 6pm.',
    phrasings: ['una dey open'],
    enabled: true,
  },
  {
    id: 'faq-price',
    question: 'How much is delivery?',
    answer: 'Delivery is ₦1,500.',
    phrasings: [],
    enabled: true,
  },
]);
const lowConfidenceBot: Bot = {
  answer: () => ({ kind: 'answer', text: 'Maybe this?', faqId: 'faq-x', confidence: 0.3, source: 'faq' }),
};
const aiBot: Bot = {
  answer: () => ({ kind: 'answer', text: 'From the model', faqId: null, confidence: 0.9, source: 'ai' }),
};

const HOURS_ON: WorkspaceSettingsInput = { businessHours: { enabled: true } };

function known(overrides: Partial<ConversationState> = {}): ConversationState {
  return {
    ...EMPTY_CONVERSATION,
    firstSeenAt: WED_10AM - 7 * 24 * 60 * MIN,
    lastInboundAt: WED_10AM - 24 * 60 * MIN,
    greetedAt: WED_10AM - 7 * 24 * 60 * MIN,
    ...overrides,
  };
}

function text(t: string, overrides: Partial<DecideMessage> = {}): DecideMessage {
  return { chatKind: 'direct', kind: 'text', text: t, ...overrides };
}

interface Row {
  name: string;
  message: DecideMessage;
  state: ConversationState | null;
  settings?: WorkspaceSettingsInput;
  now?: number;
  bot?: Bot;
  /** Replies as 'reply:<kind>', then 'handoff' / 'ignore'. */
  actions: string[];
  reason: string;
  status?: Decision['status'];
  changes?: Partial<ConversationState>;
}

const rows: Row[] = [
  // The bot answers.
  {
    name: 'a known contact asks an FAQ: answered, flood window starts',
    message: text('What time do you open?'),
    state: known(),
    actions: ['reply:faq'],
    reason: 'faq-answer',
    changes: { lastInboundAt: WED_10AM, floodWindowStart: WED_10AM, floodCount: 1 },
  },
  {
    name: 'case, spacing and punctuation do not matter',
    message: text('  WHAT time do you OPEN??!  '),
    state: known(),
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'an AI answer is queued as kind ai',
    message: text('anything'),
    state: known(),
    bot: aiBot,
    actions: ['reply:ai'],
    reason: 'ai-answer',
  },
  // Greeting.
  {
    name: 'a first-time contact gets the greeting and the answer in one message',
    message: text('How much is delivery?'),
    state: null,
    actions: ['reply:greeting+faq'],
    reason: 'greeting+faq-answer',
    changes: { firstSeenAt: WED_10AM, greetedAt: WED_10AM, lastInboundAt: WED_10AM },
  },
  {
    name: 'a first-time "hi" gets the greeting and no hand-off: the greeting asks how to help',
    message: text('hi'),
    state: null,
    actions: ['reply:greeting'],
    reason: 'greeting+small-talk-greeting',
    changes: { greetedAt: WED_10AM },
  },
  {
    name: 'greeting switched off: a first-time question the bot cannot answer goes to a human',
    message: text('Do you sell fridges?'),
    state: null,
    settings: { greeting: { enabled: false } },
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-bot',
    changes: { firstSeenAt: WED_10AM, handoff: { since: WED_10AM, reason: 'handoff-bot:no-exact-match' } },
  },
  {
    name: 'a known contact is not greeted again',
    message: text('una dey open'),
    state: known({ greetedAt: null }),
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  // Hand-off.
  {
    name: 'the bot cannot answer: hand-off notice, chat marked, owner alerted',
    message: text('Do you sell fridges?'),
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-bot',
    changes: { handoff: { since: WED_10AM, reason: 'handoff-bot:no-exact-match' } },
  },
  {
    name: 'an answer below the confidence threshold counts as no answer',
    message: text('fridge?'),
    state: known(),
    bot: lowConfidenceBot,
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-bot',
    changes: { handoff: { since: WED_10AM, reason: 'handoff-bot:low-confidence' } },
  },
  {
    name: 'hand-off on abstain switched off: nothing is sent, nothing marked',
    message: text('Do you sell fridges?'),
    state: known(),
    settings: { handoff: { onBotAbstain: false } },
    actions: ['ignore'],
    reason: 'bot-abstained-no-exact-match',
    status: 'processed',
  },
  {
    name: 'an empty hand-off message marks the chat without telling the customer',
    message: text('Do you sell fridges?'),
    state: known(),
    settings: { handoff: { message: '' } },
    actions: ['handoff'],
    reason: 'handoff-bot',
  },
  {
    name: 'a hand-off keyword, in any case and punctuation',
    message: text('Please, let me talk to a HUMAN!!'),
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-keyword',
    changes: { handoff: { since: WED_10AM, reason: 'handoff-keyword:human' } },
  },
  {
    name: 'a several-word keyword',
    message: text('customer care abeg'),
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-keyword',
  },
  {
    name: 'a keyword matches whole words only ("humanity" is not "human")',
    message: text('What time do you open? humanity'),
    state: known(),
    settings: { handoff: { onBotAbstain: false } },
    actions: ['ignore'],
    reason: 'bot-abstained-no-exact-match',
  },
  {
    name: 'keywords are configurable',
    message: text('I wan see Oga'),
    state: known(),
    settings: { handoff: { keywords: ['oga'] } },
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-keyword',
    changes: { handoff: { since: WED_10AM, reason: 'handoff-keyword:oga' } },
  },
  {
    name: 'hand-off beats the greeting: a newcomer asking for a person is not greeted',
    message: text('agent please'),
    state: null,
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-keyword',
    changes: { firstSeenAt: WED_10AM },
  },
  {
    name: 'a chat waiting for a human: the bot stays quiet, even for an FAQ',
    message: text('What time do you open?'),
    state: known({ handoff: { since: WED_10AM - MIN, reason: 'handoff-keyword:agent' } }),
    actions: ['ignore'],
    reason: 'handoff-active',
    status: 'processed',
    changes: { lastInboundAt: WED_10AM },
  },
  {
    name: 'a chat waiting for a human: asking again is acknowledged and alerts again (issue 13)',
    message: text('agent!!!'),
    state: known({
      handoff: { since: WED_10AM - MIN, reason: 'handoff-keyword:agent' },
      waiting: { since: WED_10AM - MIN, reason: 'handoff-keyword:agent' },
    }),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-keyword-again',
    // Still waiting since the first request: the Needs-you order is by the oldest unanswered message.
    changes: { waiting: { since: WED_10AM - MIN, reason: 'handoff-keyword:agent' } },
  },
  // Owner pause.
  {
    name: 'the owner replied by hand 10 minutes ago: the bot stays quiet',
    message: text('What time do you open?'),
    state: known({ botPausedUntil: WED_10AM + 20 * MIN }),
    actions: ['ignore'],
    reason: 'owner-paused',
  },
  {
    name: 'the owner pause is over: the bot answers again',
    message: text('What time do you open?'),
    state: known({ botPausedUntil: WED_10AM }),
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'a request for a person during the owner pause: acknowledged, the owner alerted',
    message: text('agent'),
    state: known({ botPausedUntil: WED_10AM + MIN }),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-keyword-again',
    changes: { waiting: { since: WED_10AM, reason: 'handoff-keyword-again:agent' } },
  },
  // Chat kinds.
  ...(['group', 'status', 'broadcast', 'newsletter'] as const).map((chatKind): Row => ({
    name: `a ${chatKind} message is ignored by default and the chat is not tracked`,
    message: text('What time do you open?', { chatKind }),
    state: null,
    actions: ['ignore'],
    reason: `ignored-${chatKind}`,
    status: 'ignored',
    changes: {},
  })),
  ...(
    [
      ['group', 'groups'],
      ['status', 'statusBroadcasts'],
      ['broadcast', 'broadcasts'],
      ['newsletter', 'newsletters'],
    ] as const
  ).map(([chatKind, setting]): Row => ({
    name: `ignoring ${chatKind} chats is switchable`,
    message: text('What time do you open?', { chatKind }),
    state: known(),
    settings: { ignore: { [setting]: false } },
    actions: ['reply:faq'],
    reason: 'faq-answer',
  })),
  // Message kinds.
  {
    name: 'undecryptable: never answered (not even greeted), but tracked and logged',
    message: { chatKind: 'direct', kind: 'undecryptable', text: null },
    state: null,
    actions: ['ignore'],
    reason: 'undecryptable',
    status: 'ignored',
    changes: { firstSeenAt: WED_10AM, lastInboundAt: WED_10AM },
  },
  {
    name: 'a photo without a caption from a known contact needs a person',
    message: { chatKind: 'direct', kind: 'media', text: null },
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-media',
  },
  {
    name: 'a first photo without a caption: the greeting and the hand-off notice, a person takes it',
    message: { chatKind: 'direct', kind: 'media', text: null },
    state: null,
    actions: ['reply:greeting+handoff', 'handoff'],
    reason: 'handoff-media',
  },
  {
    name: 'a reaction or sticker is not a question',
    message: { chatKind: 'direct', kind: 'unsupported', text: null },
    state: known(),
    actions: ['ignore'],
    reason: 'no-text-unsupported',
    status: 'processed',
  },
  // Business hours.
  {
    name: 'closed: the away message, then the answer',
    message: text('What time do you open?'),
    state: known(),
    settings: HOURS_ON,
    now: WED_9PM,
    actions: ['reply:away+faq'],
    reason: 'away+faq-answer',
    changes: { lastAwayPeriod: '2026-11-18T18:00' },
  },
  {
    name: 'closed, away already sent this closed period (same night, next morning): only the answer',
    message: text('What time do you open?'),
    state: known({ lastAwayPeriod: '2026-11-18T18:00' }),
    settings: HOURS_ON,
    now: THU_6AM,
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'closed, the next night is a new period: away again',
    message: text('What time do you open?'),
    state: known({ lastAwayPeriod: '2026-11-18T18:00' }),
    settings: HOURS_ON,
    now: THU_9PM,
    actions: ['reply:away+faq'],
    reason: 'away+faq-answer',
    changes: { lastAwayPeriod: '2026-11-19T18:00' },
  },
  {
    name: 'closed all Sunday: the period began at Saturday closing',
    message: text('What time do you open?'),
    state: known(),
    settings: HOURS_ON,
    now: SUN_1PM,
    actions: ['reply:away+faq'],
    reason: 'away+faq-answer',
    changes: { lastAwayPeriod: '2026-11-21T15:00' },
  },
  {
    name: 'open: no away message',
    message: text('What time do you open?'),
    state: known(),
    settings: HOURS_ON,
    now: WED_10AM,
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'closed, first-time contact: greeting, away and the answer composed into one message',
    message: text('How much is delivery?'),
    state: null,
    settings: HOURS_ON,
    now: WED_9PM,
    actions: ['reply:greeting+away+faq'],
    reason: 'greeting+away+faq-answer',
  },
  {
    name: 'closed, a keyword: the away message replaces "someone will reply shortly"',
    message: text('I need an agent'),
    state: known(),
    settings: HOURS_ON,
    now: WED_9PM,
    actions: ['reply:away', 'handoff'],
    reason: 'handoff-keyword',
    changes: {
      lastAwayPeriod: '2026-11-18T18:00',
      handoff: { since: WED_9PM, reason: 'handoff-keyword:agent' },
    },
  },
  {
    name: 'closed, a keyword, away already sent: marked and alerted, nothing sent',
    message: text('I need an agent'),
    state: known({ lastAwayPeriod: '2026-11-18T18:00' }),
    settings: HOURS_ON,
    now: WED_9PM,
    actions: ['handoff'],
    reason: 'handoff-keyword',
  },
  {
    name: 'closed, the bot cannot answer: away (not the hand-off notice), and marked for a human',
    message: text('Do you sell fridges?'),
    state: known(),
    settings: HOURS_ON,
    now: WED_9PM,
    actions: ['reply:away', 'handoff'],
    reason: 'handoff-bot',
  },
  {
    name: 'an unknown time zone never makes the shop look closed',
    message: text('What time do you open?'),
    state: known(),
    settings: { ...HOURS_ON, timezone: 'Mars/Olympus_Mons' },
    now: WED_9PM,
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'the hours follow the workspace time zone (21:00 in Lagos is 13:00 in Chicago: open)',
    message: text('What time do you open?'),
    state: known(),
    settings: { ...HOURS_ON, timezone: 'America/Chicago' },
    now: WED_9PM,
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  // Flood guard.
  {
    name: 'flood guard: the same question 3 s after its answer is counted, not answered twice',
    message: text('How much is delivery?'),
    state: known({ floodWindowStart: WED_10AM - 3000, floodCount: 1, lastAnswerFaqId: 'faq-price' }),
    actions: ['ignore'],
    reason: 'flood-guard-repeat',
    status: 'processed',
    changes: { floodCount: 2 },
  },
  {
    name: 'flood guard: after the window the next message is answered and starts a new window',
    message: text('How much is delivery?'),
    state: known({ floodWindowStart: WED_10AM - 10_000, floodCount: 7 }),
    actions: ['reply:faq'],
    reason: 'faq-answer',
    changes: { floodWindowStart: WED_10AM, floodCount: 1 },
  },
  {
    name: 'flood guard: the window is configurable',
    message: text('How much is delivery?'),
    state: known({ floodWindowStart: WED_10AM - 20_000, floodCount: 1, lastAnswerFaqId: 'faq-price' }),
    settings: { floodGuard: { windowSeconds: 30 } },
    actions: ['ignore'],
    reason: 'flood-guard-repeat',
  },
  {
    name: 'flood guard: a different question inside the window is answered (issue 13: it was dropped)',
    message: text('What time do you open?'),
    state: known({ floodWindowStart: WED_10AM - 3000, floodCount: 1, lastAnswerFaqId: 'faq-price' }),
    actions: ['reply:faq'],
    reason: 'faq-answer',
    changes: { floodCount: 2, lastAnswerFaqId: 'faq-hours' },
  },
  {
    name: 'flood guard: a different question the bot cannot answer inside the window goes to a person',
    message: text('Do you sell fridges?'),
    state: known({ floodWindowStart: WED_10AM - 3000, floodCount: 1, lastAnswerFaqId: 'faq-price' }),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-bot',
  },
  {
    name: 'flood guard switched off: every message is answered',
    message: text('How much is delivery?'),
    state: known({ floodWindowStart: WED_10AM - 1000, floodCount: 1 }),
    settings: { floodGuard: { enabled: false } },
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'flood guard: a hand-off keyword inside the window still reaches a person',
    message: text('agent'),
    state: known({ floodWindowStart: WED_10AM - 1000, floodCount: 3 }),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-keyword',
  },
  {
    name: 'flood guard: small talk inside the window does not hand off',
    message: text('hello?? hello??'),
    state: known({ floodWindowStart: WED_10AM - 1000, floodCount: 3, lastInboundAt: WED_10AM - 1000 }),
    actions: ['ignore'],
    reason: 'small-talk-greeting',
  },
  // Stale messages: the PC was off and WhatsApp delivers a day's backlog.
  {
    name: 'a question sent 13 hours ago goes to a person, not a late bot answer',
    message: text('What time do you open?', { sentAt: WED_10AM - 13 * 60 * MIN }),
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-stale',
    changes: { handoff: { since: WED_10AM, reason: 'handoff-stale' } },
  },
  {
    name: 'a question sent 11 hours ago is still answered',
    message: text('What time do you open?', { sentAt: WED_10AM - 11 * 60 * MIN }),
    state: known(),
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'staleAfterHours 0 answers however old',
    message: text('What time do you open?', { sentAt: WED_10AM - 72 * 60 * MIN }),
    state: known(),
    settings: { handoff: { staleAfterHours: 0 } },
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'a stale sticker is not a question: no hand-off',
    message: { chatKind: 'direct', kind: 'unsupported', text: null, sentAt: WED_10AM - 48 * 60 * MIN },
    state: known(),
    actions: ['ignore'],
    reason: 'no-text-unsupported',
  },
  // The Cloud API's 24-hour window: past `replyBy` Meta refuses any free-form reply (131047).
  {
    name: 'a Cloud message that arrives 25 hours late: no reply can go out, a person takes it',
    message: text('What time do you open?', {
      sentAt: WED_10AM - 25 * 60 * MIN,
      replyBy: WED_10AM - 60 * MIN,
    }),
    state: known(),
    settings: { handoff: { staleAfterHours: 0 } },
    actions: ['handoff'],
    reason: 'handoff-window-closed',
    changes: { handoff: { since: WED_10AM, reason: 'handoff-window-closed' } },
  },
  {
    name: 'a stale Cloud message past its window: handed over without the hand-off notice',
    message: text('What time do you open?', {
      sentAt: WED_10AM - 30 * 60 * MIN,
      replyBy: WED_10AM - 6 * 60 * MIN,
    }),
    state: known(),
    actions: ['handoff'],
    reason: 'handoff-stale+window-closed',
    changes: { handoff: { since: WED_10AM, reason: 'handoff-stale' } },
  },
  {
    name: 'a Cloud message 23 hours old, window still open: answered',
    message: text('What time do you open?', {
      sentAt: WED_10AM - 23 * 60 * MIN,
      replyBy: WED_10AM + 60 * MIN,
    }),
    state: known(),
    settings: { handoff: { staleAfterHours: 0 } },
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: 'a chat already with a person stays with them, window or not',
    message: text('Hello?', { sentAt: WED_10AM - 30 * 60 * MIN, replyBy: WED_10AM - 6 * 60 * MIN }),
    state: known({ handoff: { since: WED_10AM - 60 * MIN, reason: 'handoff-keyword:agent' } }),
    actions: ['ignore'],
    reason: 'handoff-active+small-talk-greeting',
  },
  // Issue 13: the conversation policy a shop can trust.
  {
    name: '#2 a first message that greets and asks: the greeting and the answer, one message',
    message: text('Good afternoon, how much is delivery?'),
    state: null,
    actions: ['reply:greeting+faq'],
    reason: 'greeting+faq-answer',
  },
  {
    name: '#2 a first message that greets and asks what the bot cannot answer: greeting and hand-off',
    message: text('Good afternoon, do you have Panadol Extra in stock?'),
    state: null,
    actions: ['reply:greeting+handoff', 'handoff'],
    reason: 'handoff-bot',
    changes: { waiting: { since: WED_10AM, reason: 'handoff-bot:no-exact-match' } },
  },
  ...['hello??', 'good morning', 'Good morning sir', '👍', 'thanks!!', 'ok', 'Ok ma', 'bye o', 'e se'].map(
    (t): Row => ({
      name: `#3 small talk from a returning customer is not handed off: "${t}"`,
      message: text(t),
      state: known({ lastInboundAt: WED_10AM - 5 * MIN }),
      actions: ['ignore'],
      reason: `small-talk-${/bye/.test(t) ? 'goodbye' : /hello|morning/.test(t) ? 'greeting' : 'thanks'}`,
      changes: { lastInboundAt: WED_10AM },
    }),
  ),
  {
    name: '#3 a returning customer greeting after hours of silence gets the greeting again',
    message: text('hello??'),
    state: known(),
    actions: ['reply:greeting'],
    reason: 'greeting+small-talk-greeting',
    changes: { greetedAt: WED_10AM },
  },
  {
    name: '#3 "are you there?" after a while gets the greeting, not a hand-off',
    message: text('Are you there?'),
    state: known(),
    actions: ['reply:greeting'],
    reason: 'greeting+small-talk-presence',
  },
  {
    name: '#3 "thanks" after the owner answered, in a paused chat: left, the chat does not wait',
    message: text('Thank you so much'),
    state: known({ botPausedUntil: WED_10AM + 10 * MIN }),
    actions: ['ignore'],
    reason: 'owner-paused+small-talk-thanks',
    changes: { lastInboundAt: WED_10AM },
  },
  ...[
    'please let me talk to someone',
    'talk to person',
    'I want to speak with somebody',
    'call me',
    'abeg make I talk to person',
    'Can I spek to one of your staff pls',
  ].map((t): Row => ({
    name: `#4 a request for a person is recognised: "${t}"`,
    message: text(t),
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-request',
  })),
  {
    name: '#4 a second request in a chat already with a person: acknowledged, alerted again',
    message: text('please let me talk to someone'),
    state: known({
      handoff: { since: WED_10AM - 30 * MIN, reason: 'handoff-bot:no-match' },
      waiting: { since: WED_10AM - 30 * MIN, reason: 'handoff-bot:no-match' },
    }),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-request-again',
  },
  {
    name: '#1 a question in a chat paused by the owner: the bot keeps out, the chat needs the owner',
    message: text('How much is delivery?'),
    state: known({ botPausedUntil: WED_10AM + 10 * MIN }),
    actions: ['ignore'],
    reason: 'owner-paused',
    changes: { waiting: { since: WED_10AM, reason: 'owner-paused' } },
  },
  {
    name: '#1 given back to the bot (pause and hand-off cleared): the next question is answered',
    message: text('How much is delivery?'),
    state: known({ releasedAt: WED_10AM - MIN }),
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: '#1 a question in a chat already with a person waits for the person',
    message: text('How much is delivery?'),
    state: known({ handoff: { since: WED_10AM - MIN, reason: 'owner-took-over' } }),
    actions: ['ignore'],
    reason: 'handoff-active',
    changes: { waiting: { since: WED_10AM, reason: 'handoff-active' } },
  },
  {
    name: '#8 a newcomer at night: greeting, away and answer in one message',
    message: text('What time do you open?'),
    state: null,
    settings: HOURS_ON,
    now: WED_9PM,
    actions: ['reply:greeting+away+faq'],
    reason: 'greeting+away+faq-answer',
  },
  {
    name: '#8 a newcomer at night who only says hi: greeting and away in one message',
    message: text('hi'),
    state: null,
    settings: HOURS_ON,
    now: WED_9PM,
    actions: ['reply:greeting+away'],
    reason: 'greeting+away+small-talk-greeting',
  },
  {
    name: '#9 an order list goes to a person, not an FAQ answer',
    message: text(
      'I want to order:\n2 tins of Peak milk\n1 bag of rice\n3 packs Indomie\nHow much is delivery?',
    ),
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-order',
  },
  {
    name: '#9 "I want to buy" is an order for a person',
    message: text('I want to buy 2 cartons, how much is delivery?'),
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-order',
  },
  {
    name: '#9 a very long message goes to a person',
    message: text(`How much is delivery? ${'My sister told me about your shop and '.repeat(10)}`),
    state: known(),
    actions: ['reply:handoff', 'handoff'],
    reason: 'handoff-long',
  },
  {
    name: '#9 the length limit is a setting (0: no limit)',
    message: text(`How much is delivery?${' '.repeat(400)}`),
    state: known(),
    settings: { handoff: { longMessageChars: 0 } },
    actions: ['reply:faq'],
    reason: 'faq-answer',
  },
  {
    name: '#10 a question in another language from a new contact: greeting and hand-off, not greeting only',
    message: text('Ṣé ẹ ní oògùn ibà?'),
    state: null,
    actions: ['reply:greeting+handoff', 'handoff'],
    reason: 'handoff-bot',
  },
];

describe('decide', () => {
  it.each(rows)('$name', (row) => {
    const settings = workspaceSettingsSchema.parse(row.settings ?? {});
    const state = row.state === null ? null : Object.freeze({ ...row.state });
    const decision = decide(row.message, settings, row.bot ?? faqBot, state, row.now ?? WED_10AM);
    // A composed reply shows its parts: 'reply:greeting+faq' is one message, greeting then answer.
    expect(
      decision.actions.map((a) => (a.type === 'reply' ? `reply:${(a.parts ?? [a.kind]).join('+')}` : a.type)),
    ).toEqual(row.actions);
    expect(decision.reason).toBe(row.reason);
    if (row.status !== undefined) expect(decision.status).toBe(row.status);
    if (row.changes !== undefined) {
      if (Object.keys(row.changes).length === 0) expect(decision.stateChanges).toEqual({});
      else expect(decision.stateChanges).toMatchObject(row.changes);
    }
  });

  it('past the reply window a newcomer is not marked greeted nor the flood window started: nothing was sent', () => {
    const settings = workspaceSettingsSchema.parse({ handoff: { staleAfterHours: 0 }, ...HOURS_ON });
    const late = text('What time do you open?', {
      sentAt: WED_9PM - 25 * 60 * MIN,
      replyBy: WED_9PM - 60 * MIN,
    });
    const decision = decide(late, settings, faqBot, null, WED_9PM);
    expect(decision.actions).toEqual([{ type: 'handoff', reason: 'handoff-window-closed' }]);
    expect(decision.stateChanges).toEqual({
      lastInboundAt: WED_9PM,
      firstSeenAt: WED_9PM,
      handoff: { since: WED_9PM, reason: 'handoff-window-closed' },
      waiting: { since: WED_9PM, reason: 'handoff-window-closed' },
    });
  });

  it('replies carry the configured texts and the FAQ that answered', () => {
    const settings = workspaceSettingsSchema.parse({
      ...HOURS_ON,
      greeting: { text: 'Welcome to Chidi Pharmacy!' },
      businessHours: { enabled: true, awayMessage: 'We are closed. Back at 8am.' },
    });
    const decision = decide(text('How much is delivery?'), settings, faqBot, null, WED_9PM);
    expect(decision.actions).toEqual([
      {
        type: 'reply',
        kind: 'faq',
        text: 'Welcome to Chidi Pharmacy!\n\nWe are closed. Back at 8am.\n\nDelivery is ₦1,500.',
        faqId: 'faq-price',
        confidence: 1,
        parts: ['greeting', 'away', 'faq'],
      },
    ]);
  });

  it("the owner's texts name the business and today's hours, and each can be switched off", () => {
    const settings = workspaceSettingsSchema.parse({
      businessHours: { enabled: true, awayMessage: '{business} is closed now. Today we open {hours}.' },
      greeting: { text: 'Welcome to {business}!' },
      handoff: { message: '{business}: someone will reply shortly.' },
    });
    const shop = { name: 'Chidi Pharmacy' };
    const night = decide(text('How much is delivery?'), settings, faqBot, null, WED_9PM, shop);
    expect(night.actions[0]).toMatchObject({
      text: 'Welcome to Chidi Pharmacy!\n\nChidi Pharmacy is closed now. Today we open 8:00 to 18:00.\n\nDelivery is ₦1,500.',
    });
    const day = decide(text('Do you sell fridges?'), settings, faqBot, known(), WED_10AM, shop);
    expect(day.actions[0]).toMatchObject({
      kind: 'handoff',
      text: 'Chidi Pharmacy: someone will reply shortly.',
    });

    const quiet = workspaceSettingsSchema.parse({
      businessHours: { enabled: true, awayEnabled: false },
      handoff: { messageEnabled: false },
    });
    expect(decide(text('How much is delivery?'), quiet, faqBot, known(), WED_9PM, shop).actions).toEqual([
      expect.objectContaining({ kind: 'faq', text: 'Delivery is ₦1,500.' }),
    ]);
    const handedOver = decide(text('Do you sell fridges?'), quiet, faqBot, known(), WED_10AM, shop);
    expect(handedOver.actions).toEqual([{ type: 'handoff', reason: 'handoff-bot:no-exact-match' }]);
    expect(handedOver.outcome).toBe('person');
  });

  it('is pure: the same inputs give the same decision, and the state passed in is not touched', () => {
    const settings = workspaceSettingsSchema.parse(HOURS_ON);
    const state = Object.freeze(known({ floodWindowStart: WED_9PM - 60_000 }));
    const a = decide(text('What time do you open?'), settings, faqBot, state, WED_9PM);
    const b = decide(text('What time do you open?'), settings, faqBot, state, WED_9PM);
    expect(a).toEqual(b);
    expect(state).toEqual(known({ floodWindowStart: WED_9PM - 60_000 }));
  });

  it('a flood of the same question ten times in two seconds gets one answer (decisions chained through the state)', () => {
    const settings = workspaceSettingsSchema.parse({});
    let state: ConversationState = known();
    let answers = 0;
    for (let i = 0; i < 10; i++) {
      const d = decide(text('How much is delivery?'), settings, faqBot, state, WED_10AM + i * 200);
      answers += d.actions.filter((a) => a.type === 'reply').length;
      state = { ...state, ...d.stateChanges };
    }
    expect(answers).toBe(1);
    expect(state.floodCount).toBe(10);
  });
});
