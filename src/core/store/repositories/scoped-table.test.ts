import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../../shared/types';
import { insertTestWorkspace } from '../../testing/fixtures';
import { openTempStore } from '../../testing/temp-files';
import type { Store } from '../open-database';
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
