import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { insertTestWorkspace } from '../testing/fixtures';
import { openTempStore } from '../testing/temp-files';
import type { Store } from './open-database';
import { powerOfTwoChunks } from './repositories/chunks';
import { createPreparedTransactions } from './prepared-transactions';

const WS = 'ws' as WorkspaceId;
let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  await insertTestWorkspace(store.db, WS);
});
afterEach(() => cleanup());

const insertContact = (id: string) => ({
  id,
  workspace_id: WS,
  phone_e164: null,
  wa_id: `${id}@lid`,
  name: null,
  created_at: 1,
  updated_at: 1,
});
const contactIds = async () =>
  (await store.db.selectFrom('contacts').select('id').orderBy('id').execute()).map((r) => r.id);

describe('powerOfTwoChunks', () => {
  it.each([
    [0, []],
    [1, [1]],
    [45, [32, 8, 4, 1]],
    [128, [128]],
    [300, [128, 128, 32, 8, 4]],
  ])('%i rows -> %j', (n, sizes) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const chunks = [...powerOfTwoChunks(items)];
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(items);
  });
});

describe('hot path', () => {
  it('commits like store.transaction, and the store sees the rows', async () => {
    const hot = createPreparedTransactions(store);
    await hot.transaction(async (trx) => {
      await trx
        .insertInto('contacts')
        .values([insertContact('a'), insertContact('b')])
        .execute();
    });
    expect(await contactIds()).toEqual(['a', 'b']);
  });

  it('rolls back everything when the function throws', async () => {
    const hot = createPreparedTransactions(store);
    await expect(
      hot.transaction(async (trx) => {
        await trx.insertInto('contacts').values(insertContact('a')).execute();
        throw new Error('decide failed');
      }),
    ).rejects.toThrow('decide failed');
    expect(await contactIds()).toEqual([]);
  });

  it('serialises with the store: a store transaction waits for the hot path, and the other way round', async () => {
    const hot = createPreparedTransactions(store);
    const order: string[] = [];
    await Promise.all([
      hot.transaction(async (trx) => {
        order.push('hot:start');
        await trx.insertInto('contacts').values(insertContact('a')).execute();
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('hot:end');
      }),
      store.transaction(async (trx) => {
        order.push('store:start');
        await trx.insertInto('contacts').values(insertContact('b')).execute();
        order.push('store:end');
      }),
    ]);
    expect(order).toEqual(['hot:start', 'hot:end', 'store:start', 'store:end']);
  });

  it('reuses prepared statements, which still see later schema changes (triggers)', async () => {
    const hot = createPreparedTransactions(store);
    const insert = (id: string) =>
      hot.transaction((trx) => trx.insertInto('contacts').values(insertContact(id)).execute());
    await insert('a');
    await sql`create trigger no_z before insert on contacts when new.id = 'z'
      begin select raise(abort, 'no z'); end`.execute(store.db);
    await expect(insert('z')).rejects.toThrow('no z');
    await insert('b');
    expect(await contactIds()).toEqual(['a', 'b']);
  });
});
