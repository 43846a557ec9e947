import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HomeStats } from '../../shared/contract';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Switchboard } from '../app';
import { startCoreHarness, type CoreHarness } from '../testing/core-harness';
import type { FakeProvider } from '../testing/fake-provider';
import { realTimers, type Timers } from '../timers';
import type { Dispatch } from './dispatch';

/**
 * `stats.home` end to end: customers write through the real pipeline (fake provider) on several days
 * of a clock the test moves, in two workspaces on different time zones, and the figures are read back
 * through the dispatcher as the screen reads them.
 */

let now = 0;
const clock = { now: () => now };
/** Real timeouts (replies go out at once with pacing off), the test's clock for every timestamp. */
const timers: Timers = { ...realTimers, now: () => now };

let core: CoreHarness;
let app: Switchboard;
let dispatch: Dispatch;
let providers: Map<string, FakeProvider>;
let seq = 0;

const call = <T = never>(name: string, input?: unknown) => core.call<T>(name, input);

beforeEach(async () => {
  now = Date.UTC(2026, 4, 16, 9); // Saturday 16 May 2026, 10:00 in Lagos
  core = await startCoreHarness({
    tempPrefix: 'switchboard-stats-',
    switchboard: { clock, pipeline: { timers } },
    runtime: { clock },
  });
  ({ app, dispatch, providers } = core);
  await app.pipeline.start();
});

afterEach(() => core.close());

/** A connected shop with one FAQ; replies go out at once and every question stands on its own. */
async function shop(name: string, number: string) {
  const created = await call<{ workspace: { id: WorkspaceId }; number: { id: string; e164: E164 } }>(
    'workspace.create',
    { name, number },
  );
  const workspaceId = created.workspace.id;
  await call('workspace.updateSettings', {
    workspaceId,
    settings: {
      pacing: { enabled: false, perMinute: 600, burst: 100 },
      greeting: { enabled: false },
      floodGuard: { enabled: false },
    },
  });
  await call('faq.create', { workspaceId, question: 'What time do you open?', answer: 'We open at 8am.' });
  await call('connection.pair', { workspaceId, phoneNumberId: created.number.id });
  const provider = providers.get(created.number.e164)!;
  provider.emit('status', { state: 'open', isNewLogin: false });
  /** A customer writes; resolves once the pipeline has decided and sent what it will. */
  const customer = async (phone: string, text: string) => {
    const sentBefore = provider.sent.length;
    const chatId = `${phone.slice(1)}@s.whatsapp.net`;
    provider.emit('message', {
      businessNumber: created.number.e164,
      providerMessageId: `m${++seq}`,
      chatId,
      chatKind: 'direct',
      sender: { phone: phone as E164, waId: chatId, name: null },
      kind: 'text',
      text,
      timestamp: now,
      offline: false,
      quotedId: null,
    } as never);
    await settled();
    return { chatId, replies: provider.sent.slice(sentBefore).map((s) => s.text) };
  };
  return { workspaceId, customer };
}

/** Everything handed in is decided and every queued reply has gone out (senders run on their own). */
async function settled(): Promise<void> {
  await app.pipeline.idle();
  const pending = async () =>
    Number(
      (
        await app.store.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', 'in', ['queued', 'sending'])
          .executeTakeFirstOrThrow()
      ).n,
    );
  await expect.poll(pending).toBe(0);
}

const stats = (workspaceId: WorkspaceId) => call<HomeStats>('stats.home', { workspaceId });
const day = (s: HomeStats, date: string) => s.days.find((d) => d.date === date)!;

describe('stats.home', () => {
  it('counts messages, bot answers, hand-offs and waiting chats per local day, per workspace', async () => {
    const lagos = await shop('Mama Nkechi Pharmacy', '08031234567');
    const ny = await shop('Ada Boutique', '08052223344');
    await call('workspace.updateSettings', {
      workspaceId: ny.workspaceId,
      settings: { timezone: 'America/New_York' },
    });

    // Saturday: an FAQ answered, a customer asking for a person.
    expect((await lagos.customer('+2348030000001', 'What time do you open?')).replies).toEqual([
      'We open at 8am.',
    ]);
    const asked = await lagos.customer('+2348030000002', 'I want to speak to a human');
    expect(asked.replies).toHaveLength(1); // the hand-off notice
    // Sunday: a question the bot cannot answer goes to a person; another FAQ answered.
    now = Date.UTC(2026, 4, 17, 9);
    const wigs = await lagos.customer('+2348030000003', 'Do you sell wigs?');
    await lagos.customer('+2348030000001', 'What time do you open?');
    // Monday 02:00 UTC: 03:00 in Lagos, but still Sunday 22:00 in New York.
    now = Date.UTC(2026, 4, 18, 2);
    await ny.customer('+2348030000009', 'What time do you open?');
    // Monday morning in Lagos: an answer, then (hand-offs switched off) a question nobody is told about.
    now = Date.UTC(2026, 4, 18, 8);
    await lagos.customer('+2348030000004', 'What time do you open?');
    await call('workspace.updateSettings', {
      workspaceId: lagos.workspaceId,
      settings: { handoff: { onBotAbstain: false } },
    });
    expect((await lagos.customer('+2348030000005', 'Do you sell wigs?')).replies).toEqual([]);

    const before = await stats(lagos.workspaceId);
    expect(before.handoffsWaiting).toEqual({ chats: 2, oldestSince: Date.UTC(2026, 4, 16, 9) });

    // The owner answers the first waiting chat from the app: one chat still waits.
    now = Date.UTC(2026, 4, 18, 9);
    await call('conversation.reply', {
      workspaceId: lagos.workspaceId,
      chatId: asked.chatId,
      text: 'Hello, this is Nkechi. How can I help?',
    });
    const s = await stats(lagos.workspaceId);
    expect(s.timeZone).toBe('Africa/Lagos');
    expect(s.days).toHaveLength(14);
    expect(s.days[0]!.date).toBe('2026-05-05');
    expect(s.today.date).toBe('2026-05-18');
    expect(s.today.start).toBe(Date.UTC(2026, 4, 17, 23)); // local midnight, UTC+1
    expect(s.handoffsWaiting).toEqual({ chats: 1, oldestSince: Date.UTC(2026, 4, 17, 9) });
    expect(day(s, '2026-05-16')).toMatchObject({
      messagesIn: 2,
      botMessagesOut: 2, // the FAQ answer and the hand-off notice
      ownerMessagesOut: 0,
      botAnswered: 1,
      handoffs: 1,
      unanswered: 0,
      needingAnswer: 2,
      answerRate: 0.5,
    });
    expect(day(s, '2026-05-17')).toMatchObject({ messagesIn: 2, botAnswered: 1, handoffs: 1 });
    expect(s.today).toMatchObject({
      messagesIn: 2,
      botMessagesOut: 1,
      ownerMessagesOut: 1,
      botAnswered: 1,
      handoffs: 0,
      unanswered: 1,
      needingAnswer: 2,
      answerRate: 0.5,
    });
    expect(s.days.filter((d) => d.messagesIn > 0).map((d) => d.date)).toEqual([
      '2026-05-16',
      '2026-05-17',
      '2026-05-18',
    ]);
    expect(s.days.slice(0, 11).every((d) => d.answerRate === null && d.needingAnswer === 0)).toBe(true);

    // New York's shop: its one message is on its own Sunday, and nothing of Lagos shows.
    const other = await stats(ny.workspaceId);
    expect(other.timeZone).toBe('America/New_York');
    expect(other.today.date).toBe('2026-05-18');
    expect(other.today.start).toBe(Date.UTC(2026, 4, 18, 4)); // midnight EDT
    expect(day(other, '2026-05-17')).toMatchObject({ messagesIn: 1, botAnswered: 1, answerRate: 1 });
    expect(other.days.reduce((n, d) => n + d.messagesIn, 0)).toBe(1);
    expect(other.handoffsWaiting).toEqual({ chats: 0, oldestSince: null });

    // A live refresh counts today afresh (finished days are reused), and a release empties the list.
    await lagos.customer('+2348030000006', 'What time do you open?');
    await call('conversation.release', { workspaceId: lagos.workspaceId, chatId: wigs.chatId });
    const after = await stats(lagos.workspaceId);
    expect(after.today).toMatchObject({ messagesIn: 3, botAnswered: 2, answerRate: 2 / 3 });
    expect(after.days.slice(0, 13)).toEqual(s.days.slice(0, 13));
    expect(after.handoffsWaiting).toEqual({ chats: 0, oldestSince: null });
  });

  it('refuses a bad day count and an unknown workspace', async () => {
    const bad = await dispatch('stats.home', { workspaceId: 'w', days: 0 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!bad.ok && bad.error.message).toContain('days: at least 1 day');
    expect(await dispatch('stats.home', { workspaceId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
