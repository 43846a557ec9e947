import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeMigration, insertShops } from './testing/previous-version';
import { DEFAULT_LABELS } from './0015-inbox';

// In its own file (not migrations.test.ts, which only lists it) so parallel migrations do not collide.

const insertMessage = (id: string, workspace: string, text: string | null, at: number) =>
  sql`insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
      direction, author, text, status, provider_ts, created_at, updated_at, chat_kind)
    values (${id}, ${workspace}, '+2348090000001', ${`W-${id}`}, '2348031111111@s.whatsapp.net', null,
      'in', 'contact', ${text}, 'processed', ${at}, ${at}, ${at}, 'direct')`;

describeMigration('0015-inbox', (migration) => {
  it('indexes stored messages for search, keeps the index in step, and seeds the default labels', async () => {
    const store = await migration.upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      await insertMessage('m1', 'wa', 'Good morning, is Adébáyọ̀ around?', 10).execute(db);
      await insertMessage('m2', 'wa', null, 11).execute(db);
      await insertMessage('m3', 'wb', 'PRICE of the red shoe', 12).execute(db);
    });
    const db = store.db;
    const match = async (query: string) =>
      (
        await sql<{
          id: string;
        }>`select m.id from message_search join messages m on m.rowid = message_search.rowid
          where message_search match ${query} order by m.id`.execute(db)
      ).rows.map((r) => r.id);

    // Backfilled, case and accents folded; the message without text is simply absent.
    expect(await match('adebayo')).toEqual(['m1']);
    expect(await match('price')).toEqual(['m3']);
    // New, edited and deleted messages follow through the triggers.
    await insertMessage('m4', 'wa', 'Ṣé ẹ ní bàtà pupa?', 20).execute(db);
    expect(await match('bata')).toEqual(['m4']);
    await sql`update messages set text = 'a blue shoe' where id = 'm3'`.execute(db);
    expect(await match('price')).toEqual([]);
    expect(await match('blue')).toEqual(['m3']);
    await sql`update messages set text = 'now has text' where id = 'm2'`.execute(db);
    expect(await match('text')).toEqual(['m2']);
    await sql`delete from workspaces where id = 'wb'`.execute(db);
    expect(await match('blue')).toEqual([]);
    await sql`insert into message_search (message_search) values ('integrity-check')`.execute(db);

    // The five defaults for the workspace that existed, and for one created afterwards (the trigger).
    await sql`insert into workspaces (id, name, default_country, bot_mode, tier, settings, created_at, updated_at)
      values ('wc', 'Shop C', 'NG', 'faq', 'free', '{}', 3, 3)`.execute(db);
    const labels = await db
      .selectFrom('labels')
      .select(['workspace_id', 'name', 'color', 'position'])
      .orderBy('workspace_id')
      .orderBy('position')
      .execute();
    const expected = (ws: string) => DEFAULT_LABELS.map((l, i) => ({ workspace_id: ws, ...l, position: i }));
    expect(labels).toEqual([...expected('wa'), ...expected('wc')]);

    // Labels are unique per workspace whatever the case; chat labels go with their label.
    await expect(
      sql`insert into labels (id, workspace_id, name, color, position, created_at, updated_at)
        values ('x', 'wa', 'PAID', '#2e9e5b', 9, 1, 1)`.execute(db),
    ).rejects.toThrow(/UNIQUE/);
    const paid = await db
      .selectFrom('labels')
      .select('id')
      .where('workspace_id', '=', 'wa')
      .where('name', '=', 'Paid')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('chat_labels')
      .values({ workspace_id: 'wa', chat_id: 'c1', label_id: paid.id, created_at: 1 })
      .execute();
    await db.deleteFrom('labels').where('id', '=', paid.id).execute();
    expect(await db.selectFrom('chat_labels').selectAll().execute()).toEqual([]);
    await store.close();
  });
});
