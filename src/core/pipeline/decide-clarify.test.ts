import { describe, expect, it } from 'vitest';
import { workspaceSettingsSchema, type WorkspaceSettingsInput } from '../../shared/settings';
import { EMPTY_CONVERSATION } from '../store/repositories/conversations';
import { clarifyTimedOut, decide } from './decide';
import { ownerWords } from './decision-report';
import type { Bot, ConversationState, DecideMessage, FaqCandidate } from './types';

/** The clarifying question in decide(): asked in the uncertain band, then picked, refused or timed out. */
const NOW = Date.UTC(2026, 10, 18, 9, 0); // Wed 10:00 Lagos: open
const MIN = 60_000;

const LEKKI: FaqCandidate = {
  faqId: 'faq-lekki',
  question: 'Delivery to Lekki?',
  answer: 'Lekki delivery is ₦2,000.',
  confidence: 0.42,
};
const DAYS: FaqCandidate = {
  faqId: 'faq-days',
  question: 'Delivery days',
  answer: 'We deliver Monday to Friday.',
  confidence: 0.38,
};
const HOURS: FaqCandidate = {
  faqId: 'faq-hours',
  question: 'Opening hours',
  answer: '8 to 6.',
  confidence: 0.9,
};
const ALL = [LEKKI, DAYS, HOURS];

/** Unsure about anything that says "delivery"; sure about "open"; a stand-in for the matcher's ranking. */
const bot: Bot = {
  answer(text) {
    if (/open/i.test(text))
      return { kind: 'answer', text: HOURS.answer, faqId: HOURS.faqId, confidence: 0.9, source: 'faq' };
    if (/deliver/i.test(text))
      return { kind: 'answer', text: LEKKI.answer, faqId: LEKKI.faqId, confidence: 0.42, source: 'faq' };
    return { kind: 'abstain', reason: 'no-confident-match' };
  },
  candidates: (text) => (/deliver/i.test(text) ? [LEKKI, DAYS] : []),
  faq: (id) => ALL.find((f) => f.faqId === id),
};

const settings = (input: WorkspaceSettingsInput = {}) => workspaceSettingsSchema.parse(input);
const text = (t: string): DecideMessage => ({ chatKind: 'direct', kind: 'text', text: t });
const known = (overrides: Partial<ConversationState> = {}): ConversationState => ({
  ...EMPTY_CONVERSATION,
  firstSeenAt: NOW - 7 * 24 * 60 * MIN,
  lastInboundAt: NOW - MIN,
  greetedAt: NOW - 7 * 24 * 60 * MIN,
  ...overrides,
});
const asked = (at = NOW - MIN) =>
  known({ clarification: { faqIds: ['faq-lekki', 'faq-days'], askedAt: at, expiresAt: at + 15 * MIN } });
const summary = (d: ReturnType<typeof decide>) => ({
  actions: d.actions.map((a) => (a.type === 'reply' ? `reply:${a.kind}:${a.text}` : a.type)),
  reason: d.reason,
  outcome: d.outcome,
  clarification: d.stateChanges.clarification,
});

describe('decide: the clarifying question', () => {
  it('asks "Do you mean 1) ... or 2) ...?" in the uncertain band, and remembers what it offered', () => {
    expect(summary(decide(text('do you deliver?'), settings(), bot, known(), NOW))).toEqual({
      actions: ['reply:faq:Do you mean 1) Delivery to Lekki or 2) Delivery days? Reply 1 or 2'],
      reason: 'clarify-asked-2',
      outcome: 'answered',
      clarification: { faqIds: ['faq-lekki', 'faq-days'], askedAt: NOW, expiresAt: NOW + 15 * MIN },
    });
  });

  it('hands over as before when switched off, or when nothing is close', () => {
    const off = decide(text('do you deliver?'), settings({ faq: { clarify: false } }), bot, known(), NOW);
    expect(off.reason).toBe('handoff-bot');
    expect(off.stateChanges.clarification).toBeUndefined();
    expect(decide(text('can I pay with card'), settings(), bot, known(), NOW).reason).toBe('handoff-bot');
  });

  it.each([
    ['2', 'We deliver Monday to Friday.', 'faq-days', 'clarify-picked-2'],
    ['the first one', 'Lekki delivery is ₦2,000.', 'faq-lekki', 'clarify-picked-1'],
    ['na the second one o', 'We deliver Monday to Friday.', 'faq-days', 'clarify-picked-2'],
  ])('"%s" is answered with the FAQ picked', (reply, answer, faqId, reason) => {
    const d = decide(text(reply), settings(), bot, asked(), NOW);
    expect(summary(d)).toEqual({
      actions: [`reply:faq:${answer}`],
      reason,
      outcome: 'answered',
      clarification: null,
    });
    expect(d.stateChanges.lastAnswerFaqId).toBe(faqId);
  });

  it('a rephrased question the bot is sure of is answered; one it is still unsure of goes to a person', () => {
    const sure = decide(text('what time do you open'), settings(), bot, asked(), NOW);
    expect(summary(sure)).toMatchObject({ reason: 'faq-answer', clarification: null });
    const unsure = decide(text('I mean delivery for tomorrow'), settings(), bot, asked(), NOW);
    expect(summary(unsure)).toMatchObject({
      reason: 'handoff-clarify-unclear',
      outcome: 'person',
      clarification: null,
    });
    expect(unsure.stateChanges.waiting).toEqual({ since: NOW, reason: 'handoff-clarify-unclear' });
  });

  it.each(['neither', 'none of them', 'no be am', '3'])('"%s" hands the chat to a person', (reply) => {
    const d = decide(text(reply), settings(), bot, asked(), NOW);
    expect(summary(d)).toMatchObject({
      reason: 'handoff-clarify-none',
      outcome: 'person',
      clarification: null,
    });
    expect(d.actions.map((a) => a.type)).toEqual(['reply', 'handoff']);
  });

  it('"ok" or "thanks" leaves the question standing', () => {
    const d = decide(text('ok'), settings(), bot, asked(), NOW);
    expect(d.reason).toBe('small-talk-thanks');
    expect(d.stateChanges.clarification).toBeUndefined();
  });

  it('a pick after the question ran out is decided as a new message, and the old question is dropped', () => {
    const d = decide(text('2'), settings(), bot, asked(NOW - 20 * MIN), NOW);
    expect(d.reason).toBe('handoff-bot');
    expect(d.stateChanges.clarification).toBeNull();
  });

  it('a picked FAQ that was removed meanwhile goes to a person', () => {
    const gone = { ...bot, faq: () => undefined };
    expect(decide(text('1'), settings(), gone, asked(), NOW).reason).toBe('handoff-clarify-gone');
  });

  it('clarifyTimedOut: no pick in time hands over with the notice; a chat with a person is only cleared', () => {
    expect(clarifyTimedOut(settings(), asked(), NOW)).toBeNull();
    const late = clarifyTimedOut(settings(), asked(), NOW + 15 * MIN);
    expect(late?.actions.map((a) => a.type)).toEqual(['reply', 'handoff']);
    expect(late?.stateChanges).toEqual({
      clarification: null,
      handoff: { since: NOW + 15 * MIN, reason: 'handoff-clarify-timeout' },
      waiting: { since: NOW + 15 * MIN, reason: 'handoff-clarify-timeout' },
    });
    const owner = clarifyTimedOut(settings(), { ...asked(), botPausedUntil: NOW + 60 * MIN }, NOW + 15 * MIN);
    expect(owner).toMatchObject({ outcome: 'left', stateChanges: { clarification: null } });
  });
});

describe('decide: the typed step and abstention, and the log line told from them', () => {
  const off = settings({ handoff: { onBotAbstain: false } });
  it.each([
    [
      'asked',
      text('do you deliver?'),
      settings(),
      known(),
      { step: 'asked', offered: 2 },
      'Not sure which of 2 FAQs',
    ],
    ['picked', text('2'), settings(), asked(), { step: 'picked', choice: 2 }, 'picked answer 2 of'],
    ['none', text('neither'), settings(), asked(), { step: 'none' }, 'said none of the offered answers'],
    [
      'unclear',
      text('I mean delivery for tomorrow'),
      settings(),
      asked(),
      { step: 'unclear' },
      'still cannot answer',
    ],
    [
      'unclear, hand-offs off',
      text('I mean delivery for tomorrow'),
      off,
      asked(),
      { step: 'unclear' },
      'bot-abstained-clarify-unclear for c1',
    ],
  ] as const)('%s', (_name, message, s, state, step, words) => {
    const d = decide(message, s, bot, state, NOW);
    expect(d.clarify).toEqual(step);
    expect(ownerWords(d, 'c1')).toContain(words);
  });

  it('a removed FAQ is told as such; a decision with no step keeps its reason code', () => {
    const gone = decide(text('1'), settings(), { ...bot, faq: () => undefined }, asked(), NOW);
    expect(gone.clarify).toEqual({ step: 'gone' });
    expect(ownerWords(gone, 'c1')).toContain('was removed');
    const plain = decide(text('what time do you open'), settings(), bot, known(), NOW);
    expect(plain.clarify).toBeUndefined();
    expect(ownerWords(plain, 'c1')).toBe('faq-answer for c1');
  });

  it('abstained: set when the bot had no confident answer (handed over or not), never on an answer', () => {
    const handedOver = decide(text('can I pay with card'), settings(), bot, known(), NOW);
    expect(handedOver).toMatchObject({ reason: 'handoff-bot', abstained: true });
    const kept = decide(text('can I pay with card'), off, bot, known(), NOW);
    expect(kept).toMatchObject({ outcome: 'unanswered', abstained: true });
    const unclearOff = decide(text('I mean delivery for tomorrow'), off, bot, asked(), NOW);
    expect(unclearOff.abstained).toBe(true);
    expect(decide(text('what time do you open'), settings(), bot, known(), NOW).abstained).toBeUndefined();
    expect(decide(text('do you deliver?'), settings(), bot, known(), NOW).abstained).toBeUndefined();
    const unclearHandedOver = decide(text('I mean delivery for tomorrow'), settings(), bot, asked(), NOW);
    expect(unclearHandedOver.abstained).toBeUndefined();
  });
});
