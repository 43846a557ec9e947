import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../../shared/types';
import { insertTestWorkspace } from '../../testing/fixtures';
import { openTempStore } from '../../testing/temp-files';
import type { Store } from '../open-database';
import { keyedTable } from './keyed-table';
import { camelRow } from './row-fields';
import { scopedTable } from './scoped-table';

const A = 'ws-a' as WorkspaceId;
const B = 'ws-b' as WorkspaceId;
let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ store, cleanup } = await openTempStore());
  await insertTestWorkspace(store.db, A, { name: 'A' });
  await insertTestWorkspace(store.db, B, { name: 'B' });
  const reply = (workspace_id: WorkspaceId, id: string, title: string) => ({
    workspace_id,
    id,
    title,
    text: `${title} text`,
    created_at: 1,
    updated_at: 1,
  });
  await store.db
    .insertInto('saved_replies')
    .values([reply(A, 'r1', 'Prices'), reply(A, 'r2', 'Hours'), reply(B, 'r3', 'Other shop')])
    .execute();
});
afterAll(() => cleanup());

describe('scopedTable', () => {
  it('lists one workspace in the order asked, with limit and offset', async () => {
    const replies = scopedTable(store.db, 'saved_replies');
    expect((await replies.list(A, ['title'])).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect((await replies.list(A, [['title', 'desc']])).map((r) => r.id)).toEqual(['r1', 'r2']);
    expect((await replies.list(A, ['title'], { limit: 1, offset: 1 })).map((r) => r.id)).toEqual(['r1']);
    expect((await replies.list(B, ['title'])).map((r) => r.id)).toEqual(['r3']);
  });

  it('gets and finds a row only in its own workspace', async () => {
    const replies = scopedTable(store.db, 'saved_replies');
    expect((await replies.get(A, 'r1'))?.title).toBe('Prices');
    expect(await replies.get(B, 'r1')).toBeUndefined();
    expect((await replies.findBy(B, 'title', 'Other shop'))?.id).toBe('r3');
    expect(await replies.findBy(A, 'title', 'Other shop')).toBeUndefined();
  });

  it('updates and removes only in the row’s own workspace, and says whether it did', async () => {
    const replies = scopedTable(store.db, 'saved_replies');
    expect(await replies.update(B, 'r1', { title: 'Stolen' })).toBe(false);
    expect(await replies.update(A, 'r1', { title: 'Price list', updated_at: 2 })).toBe(true);
    expect(await replies.updateReturning(A, 'r2', { text: 'Open 9-5' })).toMatchObject({
      id: 'r2',
      title: 'Hours',
      text: 'Open 9-5',
    });
    expect(await replies.updateReturning(B, 'r2', { text: 'x' })).toBeUndefined();
    expect(await replies.remove(B, 'r1')).toBe(false);
    expect(await replies.remove(A, 'r1')).toBe(true);
    expect(await replies.remove(A, 'r1')).toBe(false);
    expect((await replies.list(A, ['id'])).map((r) => [r.id, r.title])).toEqual([['r2', 'Hours']]);
    expect((await replies.get(B, 'r3'))?.title).toBe('Other shop');
  });
});

describe('keyedTable', () => {
  const titled = (workspace_id: WorkspaceId, title: string) => ({ workspace_id, title });

  it('reads rows by a key of several columns, only in the key’s workspace', async () => {
    const replies = keyedTable(store.db, 'saved_replies');
    expect(await replies.find(titled(B, 'Other shop'), ['id'])).toEqual({ id: 'r3' });
    expect(await replies.find(titled(A, 'Other shop'), ['id'])).toBeUndefined();
    expect(await replies.exists(titled(B, 'Other shop'))).toBe(true);
    expect(await replies.exists(titled(A, 'Other shop'))).toBe(false);
    expect((await replies.get({ workspace_id: B, id: 'r3' }))?.text).toBe('Other shop text');
    expect(await replies.findIn({ workspace_id: A }, 'id', ['r2', 'r3', 'r2'], ['id'])).toEqual([
      { id: 'r2' },
    ]);
    expect((await replies.getIn({ workspace_id: B }, 'id', ['r2', 'r3'])).map((r) => r.id)).toEqual(['r3']);
  });

  it('updates only rows with the key that meet the condition, and says how many', async () => {
    const replies = keyedTable(store.db, 'saved_replies');
    expect(await replies.update(titled(A, 'Other shop'), { text: 'x' })).toBe(0);
    const r3 = { workspace_id: B, id: 'r3' };
    expect(await replies.update(r3, { text: 'y', updated_at: 6 }, (eb) => eb('updated_at', '>', 5))).toBe(0);
    expect(await replies.update(r3, { text: 'y', updated_at: 6 }, (eb) => eb('updated_at', '<', 5))).toBe(1);
    expect(await replies.find(r3, ['text', 'updated_at'])).toEqual({ text: 'y', updated_at: 6 });
  });

  it('upserts the columns named, lists in order and removes', async () => {
    const replies = keyedTable(store.db, 'saved_replies');
    const row = { workspace_id: B, id: 'r4', title: 'New', text: 'one', created_at: 1, updated_at: 1 };
    await replies.upsert(row, ['id'], ['text']);
    await replies.upsert({ ...row, title: 'Not written', text: 'two' }, ['id'], ['text']);
    expect(await replies.find({ workspace_id: B, id: 'r4' }, ['title', 'text'])).toEqual({
      title: 'New',
      text: 'two',
    });
    expect((await replies.list({ workspace_id: B }, ['title'], 10)).map((r) => r.id)).toEqual(['r4', 'r3']);
    expect(await replies.remove({ workspace_id: A, id: 'r4' })).toBe(0);
    expect(await replies.remove({ workspace_id: B, id: 'r4' })).toBe(1);
  });
});

describe('camelRow', () => {
  it('names each column as the domain types do, values unchanged', () => {
    expect(camelRow({ id: 'r1', first_seen_at: 5, provider_message_id: null, duration_s: 2 })).toEqual({
      id: 'r1',
      firstSeenAt: 5,
      providerMessageId: null,
      durationS: 2,
    });
  });
});
