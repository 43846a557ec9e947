import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeMigration, insertShops } from './testing/previous-version';

describeMigration('0014-message-media', (migration) => {
  it('adds message_media beside messages: old rows untouched, rows go with their message, bad rows refused', async () => {
    const store = await migration.upgradeFrom(async (db) => {
      await insertShops(db, 'wa');
      await sql`insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
          direction, author, text, status, provider_ts, created_at, updated_at, chat_kind)
        values ('m1', 'wa', '+2348090000001', 'W1', '2348031111111@s.whatsapp.net', null, 'in', 'contact', null,
          'processed', 1, 20, 20, 'direct')`.execute(db);
    });
    const db = store.db;
    expect(await db.selectFrom('messages').select(['id', 'text']).execute()).toEqual([
      { id: 'm1', text: null },
    ]);
    await db
      .insertInto('message_media')
      .values({
        message_id: 'm1',
        workspace_id: 'wa',
        kind: 'image',
        mime: 'image/jpeg',
        size: 3000,
        sha256: null,
        file_name: null,
        caption: null,
        duration_s: null,
        thumbnail: Buffer.from([1, 2]),
        extra: null,
        ref: '{}',
        state: 'pending',
        error: null,
        created_at: 30,
        updated_at: 30,
      })
      .execute();
    const row = await db.selectFrom('message_media').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'image', state: 'pending', attempts: 0 });
    expect(Buffer.from(row.thumbnail!)).toEqual(Buffer.from([1, 2]));
    await expect(
      sql`update message_media set state = 'lost' where message_id = 'm1'`.execute(db),
    ).rejects.toThrow(/CHECK/);
    await expect(
      sql`update message_media set sha256 = 'abc' where message_id = 'm1'`.execute(db),
    ).rejects.toThrow(/CHECK/);
    await sql`delete from messages where id = 'm1'`.execute(db);
    expect(await db.selectFrom('message_media').selectAll().execute()).toEqual([]);
  });
});
