import { describe, expect, it } from 'vitest';
import {
  customerName,
  describeWaiting,
  escalationNotification,
  REMINDER_REASON,
  titleWithCount,
  waitedFor,
} from './escalation-words';

const MIN = 60_000;
const event = {
  chatId: '2348031110001@s.whatsapp.net',
  contactName: 'Chioma Okafor',
  contactPhone: '+2348031110001',
  reason: 'handoff-request:talk ... person',
  waitingSince: 1_000_000,
  again: false,
};

describe('escalation words', () => {
  it.each([
    ['handoff-keyword:agent', 'they asked for a person ("agent")'],
    ['handoff-keyword-again:agent', 'they asked for a person ("agent")'],
    ['handoff-request:talk ... someone', 'they asked to talk to a person'],
    ['handoff-request-again:speak ... human', 'they asked to talk to a person'],
    ['handoff-bot:no-match', 'no FAQ answered the question'],
    ['owner-paused', 'they wrote while you were answering by hand'],
    ['handoff-active', 'they wrote again'],
    ['handoff-long', 'their message is too long for an FAQ answer'],
    [REMINDER_REASON, 'they are still waiting for your answer'],
    ['something-new', 'something-new'],
  ])('%s reads "%s"', (reason, words) => {
    expect(describeWaiting(reason)).toBe(words);
  });

  it('says how long a chat has waited', () => {
    expect(waitedFor(0, 30_000)).toBe('under a minute');
    expect(waitedFor(0, 12 * MIN + 59_000)).toBe('12 min');
    expect(waitedFor(0, 60 * MIN)).toBe('1 h');
    expect(waitedFor(0, 65 * MIN)).toBe('1 h 5 min');
    expect(waitedFor(0, 24 * 60 * MIN)).toBe('1 day');
    expect(waitedFor(0, 3 * 24 * 60 * MIN)).toBe('3 days');
    expect(waitedFor(10, 0)).toBe('under a minute');
  });

  it('names the customer by name, else phone, else chat id', () => {
    expect(customerName(event)).toBe('Chioma Okafor');
    expect(customerName({ ...event, contactName: '  ' })).toBe('+234 803 111 0001');
    expect(customerName({ ...event, contactName: null, contactPhone: null })).toBe('2348031110001');
  });

  it('titles a notification with the customer and says why in the body', () => {
    expect(escalationNotification(event, event.waitingSince)).toEqual({
      title: 'Chioma Okafor needs you',
      body: 'They asked to talk to a person. The bot keeps out until you answer or give the chat back.',
      tag: 'chat:2348031110001@s.whatsapp.net',
    });
    expect(
      escalationNotification({ ...event, again: true, reason: 'handoff-request-again:x' }, 0).title,
    ).toBe('Chioma Okafor asked for a person again');
    expect(
      escalationNotification({ ...event, contactName: null, reason: 'handoff-bot:no-match' }, 0),
    ).toMatchObject({
      title: '+234 803 111 0001 needs you',
      body: 'No FAQ answered the question. The bot keeps out until you answer or give the chat back.',
    });
  });

  it('a reminder says how long the customer has waited', () => {
    const reminder = escalationNotification(
      { ...event, reason: REMINDER_REASON, again: true },
      event.waitingSince + 20 * MIN,
    );
    expect(reminder.title).toBe('Chioma Okafor is still waiting');
    expect(reminder.body).toMatch(/^Waiting 20 min for your answer\./);
  });

  it('puts the count in front of the title', () => {
    expect(titleWithCount(0)).toBe('Switchboard');
    expect(titleWithCount(3)).toBe('(3) Switchboard');
    expect(titleWithCount(120, 'Shop')).toBe('(99+) Shop');
  });
});
