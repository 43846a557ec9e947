import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E164, WorkspaceId } from '../../../shared/types';
import { openTempStore } from '../../testing/temp-files';
import type { Store } from '../open-database';
import { createFaqRepository } from './faqs';
import { createMessageRepository, type NewMessage } from './messages';
import { insertTestWorkspace } from '../../testing/fixtures';

/**
 * The schema's own guards: whatever path a value takes to the file, SQLite refuses what the services
 * would refuse, and a refused multi-row change leaves nothing behind.
 */
const WS = 'ws' as WorkspaceId;
let store: Store;
let cleanup: () => Promise<void>;
let n = 0;

beforeAll(async () => {
  ({ store, cleanup } = await openTempStore());
  await insertTestWorkspace(store.db, WS, { name: 'Shop' });
});
afterAll(() => cleanup());

const message = (overrides: Partial<NewMessage> = {}): NewMessage => ({
  id: `m${++n}`,
  businessNumber: '+2348090000001' as E164,
  providerMessageId: `P${n}`,
  chatId: 'chat',
  contactId: null,
  direction: 'in',
  author: 'contact',
  text: 'hello',
  status: 'received',
  providerTs: 1,
  ...overrides,
});

const count = (table: 'messages' | 'faqs' | 'faq_phrasings') =>
  store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

describe('schema constraints', () => {
  it('stores a message of exactly 65,536 characters and refuses a longer one', async () => {
    const repo = createMessageRepository(store.db);
    expect(await repo.insert(WS, message({ text: 'a'.repeat(65536) }), 1)).toEqual({ inserted: true });
    await expect(repo.insert(WS, message({ text: 'a'.repeat(65537) }), 1)).rejects.toThrow(
      /CHECK constraint/,
    );
  });

  it('drops a redelivered message instead of storing it twice', async () => {
    const repo = createMessageRepository(store.db);
    const first = message({ providerMessageId: 'DUP-1' });
    expect(await repo.insert(WS, first, 1)).toEqual({ inserted: true });
    expect(await repo.insert(WS, { ...first, id: 'other-id' }, 2)).toEqual({ inserted: false });
    expect(await repo.get(WS, 'other-id')).toBeUndefined();
  });

  it('refuses values outside the allowed sets', async () => {
    const repo = createMessageRepository(store.db);
    await expect(repo.insert(WS, message({ direction: 'sideways' as never }), 1)).rejects.toThrow(/CHECK/);
    await expect(repo.insert(WS, message({ author: 'robot' as never }), 1)).rejects.toThrow(/CHECK/);
    await expect(
      store.db.updateTable('workspaces').set({ bot_mode: 'magic' }).where('id', '=', WS).execute(),
    ).rejects.toThrow(/CHECK/);
  });

  it('refuses nulls where a value is required', async () => {
    const repo = createMessageRepository(store.db);
    await expect(repo.insert(WS, message({ chatId: null as never }), 1)).rejects.toThrow(/NOT NULL/);
  });

  it('an FAQ with one bad phrasing is not stored at all when written in a transaction', async () => {
    const before = [await count('faqs'), await count('faq_phrasings')];
    await expect(
      store.transaction((trx) =>
        createFaqRepository(trx, () => `p${++n}`).create(
          WS,
          'faq-bad',
          {
            question: 'Do you deliver?',
            answer: 'Yes',
            phrasings: ['do you deliver', 'x'.repeat(1001)],
            enabled: true,
          },
          1,
        ),
      ),
    ).rejects.toThrow(/CHECK/);
    expect([await count('faqs'), await count('faq_phrasings')]).toEqual(before);
  });

  it('the event log refuses updates', async () => {
    await store.db
      .insertInto('events')
      .values({
        ts: 1,
        level: 'info',
        type: 'x.y',
        workspace_id: WS,
        contact_id: null,
        message: 'm',
        meta: null,
      })
      .execute();
    await expect(store.db.updateTable('events').set({ message: 'rewritten' }).execute()).rejects.toThrow(
      /append-only/,
    );
  });
});
