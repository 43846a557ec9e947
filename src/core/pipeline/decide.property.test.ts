import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workspaceSettingsSchema, type WorkspaceSettingsInput } from '../../shared/settings';
import { EMPTY_CONVERSATION } from '../store/repositories/conversations';
import { decide } from './decide';
import { createExactMatchBot } from './faq-bot';
import { findPersonRequest } from './person-request';
import { readSmallTalk } from './small-talk';
import type { ConversationState, DecideMessage, DecisionOutcome } from './types';

/**
 * decide() over generated conversations (issue 13): a customer writes greetings, questions, small talk,
 * requests for a person, orders, photos and stickers, while the owner replies, takes over and gives the
 * chat back and the clock moves on. Whatever the script, every message ends in exactly one outcome, and
 * that outcome holds: a message left with a person leaves the chat in "Needs you" until a person
 * answers or gives it back, small talk never hands a chat over, a request for a person always does.
 */
const START = Date.UTC(2026, 10, 18, 9, 0); // Wed 10:00 Lagos
const MIN = 60_000;

const bot = createExactMatchBot([
  { id: 'faq-hours', question: 'What time do you open?', answer: '8am.', phrasings: [], enabled: true },
  { id: 'faq-delivery', question: 'How much is delivery?', answer: '₦1,500.', phrasings: [], enabled: true },
]);

const TEXTS = {
  question: ['What time do you open?', 'How much is delivery?', 'Good morning, how much is delivery?'],
  unknown: ['Do you sell fridges?', 'Ṣé ẹ ní oògùn ibà?', 'Is the blue one available?'],
  smallTalk: ['hi', 'hello??', 'thanks', 'ok', '👍', 'bye', 'Good morning sir', 'are you there?', '??'],
  person: ['please let me talk to someone', 'abeg make I talk to person', 'call me', 'agent'],
  order: ['I want to order 2 cartons', '2 tins milk\n1 bag rice\n3 Indomie'],
};

type Event =
  | {
      type: 'message';
      message: DecideMessage;
      group: keyof typeof TEXTS | 'media' | 'sticker' | 'group-chat';
    }
  | { type: 'owner-reply' }
  | { type: 'release' }
  | { type: 'take-over' }
  | { type: 'wait'; ms: number };

const textMessage = (group: keyof typeof TEXTS) =>
  fc
    .constantFrom(...TEXTS[group])
    .map((text): Event => ({ type: 'message', group, message: { chatKind: 'direct', kind: 'text', text } }));

const event: fc.Arbitrary<Event> = fc.oneof(
  { arbitrary: textMessage('question'), weight: 4 },
  { arbitrary: textMessage('unknown'), weight: 2 },
  { arbitrary: textMessage('smallTalk'), weight: 3 },
  { arbitrary: textMessage('person'), weight: 1 },
  { arbitrary: textMessage('order'), weight: 1 },
  {
    arbitrary: fc.constant<Event>({
      type: 'message',
      group: 'media',
      message: { chatKind: 'direct', kind: 'media', text: null },
    }),
    weight: 1,
  },
  {
    arbitrary: fc.constant<Event>({
      type: 'message',
      group: 'sticker',
      message: { chatKind: 'direct', kind: 'unsupported', text: null },
    }),
    weight: 1,
  },
  {
    arbitrary: fc.constant<Event>({
      type: 'message',
      group: 'group-chat',
      message: { chatKind: 'group', kind: 'text', text: 'How much is delivery?' },
    }),
    weight: 1,
  },
  { arbitrary: fc.constant<Event>({ type: 'owner-reply' }), weight: 1 },
  { arbitrary: fc.constant<Event>({ type: 'release' }), weight: 1 },
  { arbitrary: fc.constant<Event>({ type: 'take-over' }), weight: 1 },
  {
    arbitrary: fc
      .constantFrom(2_000, 20_000, 5 * MIN, 45 * MIN, 8 * 60 * MIN, 14 * 60 * MIN)
      .map((ms): Event => ({ type: 'wait', ms })),
    weight: 3,
  },
);

const settingsInput: fc.Arbitrary<WorkspaceSettingsInput> = fc.record({
  greeting: fc.record({ enabled: fc.boolean() }),
  businessHours: fc.record({ enabled: fc.boolean() }),
  handoff: fc.record({ onBotAbstain: fc.boolean(), ownerPauseMinutes: fc.constantFrom(0, 30) }),
  floodGuard: fc.record({ enabled: fc.boolean() }),
});

describe('decide over generated conversations', () => {
  it('every message ends in exactly one outcome, and the outcome holds', () => {
    fc.assert(
      fc.property(settingsInput, fc.array(event, { minLength: 1, maxLength: 40 }), (input, script) => {
        const settings = workspaceSettingsSchema.parse(input);
        let state = null as ConversationState | null;
        let now = START;
        const decided: { at: number; outcome: DecisionOutcome }[] = [];
        /** When a person last answered, and when the chat was last given back. */
        let ownerAt = -1;
        let releasedAt = -1;

        for (const e of script) {
          if (e.type === 'wait') {
            now += e.ms;
            continue;
          }
          if (e.type === 'owner-reply' || e.type === 'release' || e.type === 'take-over') {
            if (state === null) continue;
            if (e.type === 'owner-reply') {
              ownerAt = now;
              const pause = settings.handoff.ownerPauseMinutes * MIN;
              state = {
                ...state,
                waiting: null,
                botPausedUntil: pause > 0 ? now + pause : state.botPausedUntil,
              };
            } else if (e.type === 'release') {
              releasedAt = now;
              state = { ...state, handoff: null, botPausedUntil: null, waiting: null, releasedAt: now };
            } else if (state.handoff === null) {
              state = { ...state, handoff: { since: now, reason: 'owner-took-over' } };
            }
            now += 1;
            continue;
          }

          const d = decide(e.message, settings, bot, state, now);
          const replies = d.actions.filter((a) => a.type === 'reply');
          const handoffs = d.actions.filter((a) => a.type === 'handoff');
          // One message out at most: greeting, away and answer are composed into one.
          expect(replies.length).toBeLessThanOrEqual(1);
          expect(handoffs.length).toBeLessThanOrEqual(1);
          if (e.group !== 'group-chat') {
            state = {
              ...(state ?? { ...EMPTY_CONVERSATION, firstSeenAt: now }),
              ...d.stateChanges,
            };
          } else {
            expect(d.stateChanges).toEqual({});
          }
          switch (d.outcome) {
            case 'answered':
              expect(replies).toHaveLength(1);
              break;
            case 'person':
              // The person has been told: the chat is in "Needs you".
              expect(state?.waiting).not.toBeNull();
              break;
            case 'left':
            case 'unanswered':
              expect(handoffs).toHaveLength(0);
              expect(replies.every((r) => r.type === 'reply' && r.kind !== 'faq' && r.kind !== 'ai')).toBe(
                true,
              );
              break;
          }
          const text = e.message.text ?? '';
          if (e.group === 'smallTalk' && findPersonRequest(text) === null && readSmallTalk(text).only) {
            // Small talk never hands a chat to a person.
            expect(d.actions.some((a) => a.type === 'handoff')).toBe(false);
          }
          if (e.group === 'person') {
            // A request for a person always reaches one, in a chat with a person too (acknowledged again).
            expect(handoffs).toHaveLength(1);
            expect(d.outcome).toBe('person');
          }
          decided.push({ at: now, outcome: d.outcome });
          now += 1;
        }

        // At the end of the day: every message handed to a person still waits for one, or a person
        // answered or gave the chat back after it.
        for (const m of decided) {
          if (m.outcome !== 'person') continue;
          const accounted = state?.waiting != null || ownerAt >= m.at || releasedAt >= m.at;
          expect(accounted).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
