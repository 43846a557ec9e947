import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeMigration, insertQueuedReply, insertShops } from './testing/previous-version';

const SHA = 'a'.repeat(64);

describeMigration('0017-outbound-media', (migration) => {
  it('lets outbox rows carry a file (old rows have none) and an FAQ an attachment; bad rows refused', async () => {
    const store = await migration.upgradeFrom(async (db) => {
      await insertShops(db, 'wa');
      await insertQueuedReply(db);
      await sql`insert into faqs (id, workspace_id, question, answer, enabled, created_at, updated_at)
        values ('f1', 'wa', 'Menu?', 'Here is our menu', 1, 1, 1)`.execute(db);
    });
    const db = store.db;
    expect(
      await db
        .selectFrom('outbox')
        .select(['id', 'text', 'media_kind', 'media_sha256', 'media_caption'])
        .execute(),
    ).toEqual([
      { id: 'o1', text: 'We open at 8', media_kind: null, media_sha256: null, media_caption: null },
    ]);
    await sql`update outbox set media_kind = 'image', media_sha256 = ${SHA}, media_mime = 'image/jpeg',
      media_file_name = 'menu.jpg', media_caption = 'Menu' where id = 'o1'`.execute(db);
    await expect(sql`update outbox set media_kind = 'video' where id = 'o1'`.execute(db)).rejects.toThrow(
      /CHECK/,
    );
    await expect(sql`update outbox set media_sha256 = 'abc' where id = 'o1'`.execute(db)).rejects.toThrow(
      /CHECK/,
    );

    await db
      .insertInto('faq_attachments')
      .values({
        faq_id: 'f1',
        workspace_id: 'wa',
        kind: 'document',
        sha256: SHA,
        mime: 'application/pdf',
        file_name: 'menu.pdf',
        size: 10,
        created_at: 2,
      })
      .execute();
    await expect(
      sql`insert into faq_attachments (faq_id, workspace_id, kind, sha256, mime, file_name, size, created_at)
        values ('f1', 'wa', 'voice', ${SHA}, 'audio/ogg', 'x.ogg', 1, 1)`.execute(db),
    ).rejects.toThrow(/CHECK|UNIQUE/);
    await sql`delete from faqs where id = 'f1'`.execute(db);
    expect(await db.selectFrom('faq_attachments').selectAll().execute()).toEqual([]);
  });
});
