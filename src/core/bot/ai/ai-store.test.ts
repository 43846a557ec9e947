import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../../shared/types';
import { createLogger } from '../../log/logger';
import { createFileKeySecretBox } from '../../secrets/file-key-secret-box';
import { openDatabase, type Store } from '../../store/open-database';
import { insertTestWorkspace } from '../../testing/fixtures';
import { createMemorySink } from '../../testing/memory-sink';
import { makeTempDir } from '../../testing/temp-files';
import { createAiKeyRepository } from '../../store/repositories/ai-keys';
import { createPersistentBudgetLedger } from './persistent-ledger';
import { usdToNano } from './cost';

const WS_A = 'ws-a' as WorkspaceId;
const WS_B = 'ws-b' as WorkspaceId;
const NOV_25_NOON = Date.UTC(2026, 10, 25, 11, 0); // 12:00 in Lagos
const KEY = 'sk-proj-9f8e7d6c5b4a3928';

let store: Store;
let dir: string;
let cleanup: () => void;
afterEach(async () => {
  await store.close();
  cleanup();
});

async function setup() {
  ({ dir, cleanup } = makeTempDir('switchboard-ai-store-'));
  store = await openDatabase({ path: join(dir, 'switchboard.db') });
  await insertTestWorkspace(store.db, WS_A, { name: 'Chidi Pharmacy' });
  await insertTestWorkspace(store.db, WS_B, { name: 'Ada Boutique' });
}

describe('AI keys', () => {
  it('are sealed at rest, opened on demand, listed with a hint only, and scoped to their workspace', async () => {
    await setup();
    const keys = createAiKeyRepository(store.db, createFileKeySecretBox({ dataDir: dir }));
    expect(await keys.set(WS_A, 'openai', `  ${KEY}  `, 5)).toEqual({
      providerId: 'openai',
      hint: '3928',
      updatedAt: 5,
    });
    const raw = await store.db
      .withTables<{ ai_keys: { key_sealed: string } }>()
      .selectFrom('ai_keys')
      .selectAll()
      .execute();
    expect(JSON.stringify(raw)).not.toContain('sk-proj');
    expect(await keys.get(WS_A, 'openai')).toBe(KEY);
    expect(await keys.get(WS_B, 'openai')).toBeNull();
    expect(await keys.list(WS_A)).toEqual([{ providerId: 'openai', hint: '3928', updatedAt: 5 }]);
    expect(await keys.list(WS_B)).toEqual([]);
    await keys.set(WS_A, 'openai', 'sk-new-key-0000-1111', 6);
    expect(await keys.get(WS_A, 'openai')).toBe('sk-new-key-0000-1111');
    expect(await keys.remove(WS_B, 'openai')).toBe(false);
    expect(await keys.remove(WS_A, 'openai')).toBe(true);
    expect(await keys.get(WS_A, 'openai')).toBeNull();
  });

  it('a key sealed on another computer reads as missing, and the log says to enter it again', async () => {
    await setup();
    await createAiKeyRepository(store.db, createFileKeySecretBox({ keyPath: join(dir, 'other.key') })).set(
      WS_A,
      'openai',
      KEY,
      1,
    );
    const sink = createMemorySink();
    const keys = createAiKeyRepository(
      store.db,
      createFileKeySecretBox({ dataDir: dir }),
      createLogger({ sinks: [sink] }),
    );
    expect(await keys.get(WS_A, 'openai')).toBeNull();
    expect(sink.ofType('ai.key_unreadable')[0]!.message).toContain('enter it again');
    expect(JSON.stringify(sink.entries)).not.toContain(KEY);
  });
});

describe('persistent budget ledger', () => {
  it('keeps spending across a restart, per workspace, and starts afresh the next day and month', async () => {
    await setup();
    let now = NOV_25_NOON;
    const first = createPersistentBudgetLedger({ db: store.db, now: () => now });
    await first.load();
    first.record(WS_A, usdToNano(0.25));
    first.record(WS_A, usdToNano(0.5));
    first.record(WS_B, usdToNano(1));
    await first.flush();

    const second = createPersistentBudgetLedger({ db: store.db, now: () => now });
    await second.load();
    expect(second.spent(WS_A)).toEqual({
      keys: { day: '2026-11-25', month: '2026-11' },
      day: 750_000_000,
      month: 750_000_000,
      held: 0,
    });
    expect(await second.summary(WS_A)).toEqual({ dayUsd: 0.75, monthUsd: 0.75, dayCalls: 2, monthCalls: 2 });
    expect(second.spent(WS_B).day).toBe(1_000_000_000);

    now = Date.UTC(2026, 10, 25, 23, 30); // 00:30 on the 26th in Lagos: a new day, same month
    expect(second.spent(WS_A)).toMatchObject({ day: 0, month: 750_000_000 });
    now = Date.UTC(2026, 10, 30, 23, 30); // 1 December in Lagos
    expect(second.spent(WS_A)).toMatchObject({ day: 0, month: 0 });
  });

  it('tells the owner once per period, even across a restart', async () => {
    await setup();
    const now = () => NOV_25_NOON;
    const first = createPersistentBudgetLedger({ db: store.db, now });
    await first.load();
    expect(first.claimNotice(WS_A, 'day', '2026-11-25')).toBe(true);
    expect(first.claimNotice(WS_A, 'day', '2026-11-25')).toBe(false);
    await first.flush();
    const second = createPersistentBudgetLedger({ db: store.db, now });
    await second.load();
    expect(second.claimNotice(WS_A, 'day', '2026-11-25')).toBe(false);
    expect(second.claimNotice(WS_A, 'month', '2026-11')).toBe(true);
    expect(second.claimNotice(WS_B, 'day', '2026-11-25')).toBe(true);
  });

  it("counts each workspace's day in its own time zone, across a restart; a new budget may be told again", async () => {
    await setup();
    let now = NOV_25_NOON; // 20:00 on the 25th in Tokyo, 12:00 in Lagos
    const first = createPersistentBudgetLedger({ db: store.db, now: () => now });
    await first.load();
    first.setTimeZone(WS_A, 'Asia/Tokyo');
    first.record(WS_A, usdToNano(0.25));
    first.record(WS_B, usdToNano(0.5));
    expect(first.claimNotice(WS_A, 'day', '2026-11-25')).toBe(true);
    first.resetNotices(WS_A);
    await first.flush();

    now = Date.UTC(2026, 10, 25, 14, 0); // 23:00 in Tokyo: still the 25th there
    const second = createPersistentBudgetLedger({ db: store.db, now: () => now });
    await second.load();
    second.setTimeZone(WS_A, 'Asia/Tokyo');
    second.setTimeZone(WS_B, 'Not/AZone'); // unknown: counted as UTC, not an error
    expect(second.spent(WS_A)).toMatchObject({ keys: { day: '2026-11-25' }, day: 250_000_000 });
    expect(second.spent(WS_B)).toMatchObject({ keys: { day: '2026-11-25' }, day: 500_000_000 });
    // The notice was given back when the budget changed: running out again is told again.
    expect(second.claimNotice(WS_A, 'day', '2026-11-25')).toBe(true);
    now = Date.UTC(2026, 10, 25, 15, 30); // 00:30 on the 26th in Tokyo, 15:30 on the 25th in UTC
    expect(second.spent(WS_A)).toMatchObject({ keys: { day: '2026-11-26' }, day: 0, month: 250_000_000 });
    expect(second.spent(WS_B).day).toBe(500_000_000);
  });

  it('refuses a negative or fractional amount', async () => {
    await setup();
    const ledger = createPersistentBudgetLedger({ db: store.db, now: () => NOV_25_NOON });
    expect(() => ledger.record(WS_A, -1)).toThrow(RangeError);
    expect(() => ledger.record(WS_A, 0.5)).toThrow(RangeError);
  });
});
