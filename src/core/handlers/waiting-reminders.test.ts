import { describe, expect, it } from 'vitest';
import type { Events } from '../../shared/contract';
import type { E164, WorkspaceId } from '../../shared/types';
import { createFakeTimers } from '../testing/fake-timers';
import { createWaitingReminders, type WaitingChat } from './waiting-reminders';

const MIN = 60_000;
const START = 1_700_000_000_000;

function setup(chats: WaitingChat[], checkEveryMs = 30_000) {
  const timers = createFakeTimers(START);
  const told: Events['conversation.escalated'][] = [];
  const reminders = createWaitingReminders({
    timers,
    loadWaiting: () => Promise.resolve(chats.map((c) => ({ ...c }))),
    remind: (event) => {
      told.push(event);
      reminders.noteTold(event.workspaceId, event.chatId, timers.now());
    },
    checkEveryMs,
  });
  return { timers, told, reminders };
}

const chat = (over: Partial<WaitingChat> = {}): WaitingChat => ({
  workspaceId: 'ws-1' as WorkspaceId,
  chatId: 'ada@s.whatsapp.net',
  businessNumber: '+2348031234567' as E164,
  contactName: 'Ada',
  contactPhone: '+2348099999999',
  waitingSince: START,
  remindAfterMinutes: 10,
  ...over,
});

describe('waiting reminders', () => {
  it('reminds a waiting chat once per N minutes, as an escalation again with reason reminder', async () => {
    const { timers, told, reminders } = setup([chat()]);
    await timers.advance(9 * MIN + 59_000);
    expect(told).toEqual([]);
    await timers.advance(1_000);
    expect(told).toEqual([
      {
        workspaceId: 'ws-1',
        chatId: 'ada@s.whatsapp.net',
        businessNumber: '+2348031234567',
        contactName: 'Ada',
        contactPhone: '+2348099999999',
        reason: 'reminder',
        waitingSince: START,
        again: true,
      },
    ]);
    // Exactly at the minute, not up to a check interval late: the timer wakes for the due reminder.
    expect(timers.now()).toBe(START + 10 * MIN);
    await timers.advance(9 * MIN);
    expect(told).toHaveLength(1);
    await timers.advance(MIN);
    expect(told).toHaveLength(2);
    await timers.advance(30 * MIN);
    expect(told).toHaveLength(5);
    reminders.stop();
    expect(timers.pending()).toBe(0);
  });

  it('counts from the last time the owner was told: a customer asking again puts the reminder off', async () => {
    const { timers, told, reminders } = setup([chat()]);
    await timers.advance(8 * MIN);
    reminders.noteTold('ws-1', 'ada@s.whatsapp.net', timers.now());
    await timers.advance(9 * MIN);
    expect(told).toEqual([]);
    await timers.advance(MIN);
    expect(told).toHaveLength(1);
    expect(timers.now()).toBe(START + 18 * MIN);
    reminders.stop();
  });

  it('stops when the chat no longer waits, never reminds with 0 minutes, and uses each workspace its own minutes', async () => {
    const chats = [
      chat(),
      chat({ workspaceId: 'ws-2' as WorkspaceId, remindAfterMinutes: 0 }),
      chat({ workspaceId: 'ws-3' as WorkspaceId, chatId: 'bola@s.whatsapp.net', remindAfterMinutes: 5 }),
    ];
    const { timers, told, reminders } = setup(chats);
    await timers.advance(10 * MIN);
    expect(told.map((t) => `${t.workspaceId}/${t.chatId}`)).toEqual([
      'ws-3/bola@s.whatsapp.net', // 5 min
      'ws-1/ada@s.whatsapp.net', // 10 min
      'ws-3/bola@s.whatsapp.net', // 10 min
    ]);
    chats.splice(0, 1); // the owner answered Ada
    await timers.advance(30 * MIN);
    expect(told.filter((t) => t.chatId === 'ada@s.whatsapp.net')).toHaveLength(1);
    expect(told.filter((t) => t.workspaceId === 'ws-2')).toEqual([]);
    reminders.stop();
  });

  it('a chat waiting again after an answer counts from its new wait', async () => {
    const chats = [chat()];
    const { timers, told, reminders } = setup(chats);
    await timers.advance(10 * MIN);
    expect(told).toHaveLength(1);
    // Answered at 12 min, waiting again from 15 min.
    chats[0] = chat({ waitingSince: START + 15 * MIN });
    await timers.advance(14 * MIN);
    expect(told).toHaveLength(1);
    await timers.advance(MIN);
    expect(told).toHaveLength(2);
    expect(told[1]!.waitingSince).toBe(START + 15 * MIN);
    reminders.stop();
  });

  it('keeps checking after a failed read', async () => {
    const timers = createFakeTimers(START);
    const errors: unknown[] = [];
    let calls = 0;
    const told: unknown[] = [];
    const reminders = createWaitingReminders({
      timers,
      loadWaiting: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('disk busy')) : Promise.resolve([chat()]);
      },
      remind: (event) => told.push(event),
      onError: (error) => errors.push(error),
    });
    await timers.advance(11 * MIN);
    expect(errors).toHaveLength(1);
    expect(told).toHaveLength(1);
    reminders.stop();
  });
});
