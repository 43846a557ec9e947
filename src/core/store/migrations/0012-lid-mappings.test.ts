import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeMigration, insertShops } from './testing/previous-version';

// In its own file (not migrations.test.ts, which only lists it) so parallel migrations do not collide.

describeMigration('0012-lid-mappings', (migration) => {
  it("seeds each workspace's mappings from Baileys' key store, LID chats and contacts; rows survive", async () => {
    const upgraded = await migration.upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      await sql`insert into phone_numbers (id, workspace_id, e164, provider, status, label, created_at, updated_at)
        values ('pa', 'wa', '+2348090000001', 'baileys', 'connected', null, 1, 5),
               ('pb', 'wb', '+2348090000002', 'baileys', 'connected', null, 1, 6)`.execute(db);
      // Baileys' own store: `<pnUser>` -> "<lidUser>" and the reverse; a device-qualified id is skipped.
      await sql`insert into wa_auth_keys (phone_number_id, workspace_id, type, key_id, value)
        values ('pa', 'wa', 'lid-mapping', '2348031111111', '"111111111111111"'),
               ('pa', 'wa', 'lid-mapping', '111111111111111_reverse', '"2348031111111"'),
               ('pa', 'wa', 'lid-mapping', '2348039999999:2', '"999999999999999"'),
               ('pa', 'wa', 'session', '2348031111111.0', '{}')`.execute(db);
      await sql`insert into contacts (id, workspace_id, phone_e164, wa_id, name, created_at, updated_at)
        values ('c2', 'wa', '+2348032222222', '222222222222222@lid', 'Bola', 1, 7),
               ('c3', 'wa', '+2348033333333', '2348033333333@s.whatsapp.net', 'Chidi', 1, 8),
               ('c4', 'wb', null, '444444444444444@lid', null, 1, 9)`.execute(db);
      // Chidi wrote by LID with his phone in remoteJidAlt (the contact was matched by phone); c4 never
      // revealed a phone: nothing to learn.
      await sql`insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
          direction, author, text, status, provider_ts, created_at, updated_at, chat_kind)
        values ('m1', 'wa', '+2348090000001', 'W1', '333333333333333@lid', 'c3', 'in', 'contact', 'hi', 'replied', 1, 20, 20, 'direct'),
               ('m2', 'wa', '+2348090000001', 'W2', '333333333333333@lid', 'c3', 'in', 'contact', 'hi', 'replied', 1, 30, 30, 'direct'),
               ('m3', 'wb', '+2348090000002', 'W3', '444444444444444@lid', 'c4', 'in', 'contact', 'yo', 'replied', 1, 40, 40, 'direct')`.execute(
        db,
      );
    });
    const rows = await upgraded.db
      .selectFrom('lid_mappings')
      .selectAll()
      .orderBy('workspace_id')
      .orderBy('lid')
      .execute();
    expect(rows).toEqual([
      {
        workspace_id: 'wa',
        lid: '111111111111111@lid',
        phone_jid: '2348031111111@s.whatsapp.net',
        business_number: '+2348090000001',
        source: 'upgrade',
        created_at: 5,
        updated_at: 5,
      },
      {
        workspace_id: 'wa',
        lid: '222222222222222@lid',
        phone_jid: '2348032222222@s.whatsapp.net',
        business_number: '',
        source: 'upgrade',
        created_at: 7,
        updated_at: 7,
      },
      {
        workspace_id: 'wa',
        lid: '333333333333333@lid',
        phone_jid: '2348033333333@s.whatsapp.net',
        business_number: '+2348090000001',
        source: 'upgrade',
        created_at: 20,
        updated_at: 20,
      },
    ]);
    // The migration only learns; the messages stay where they were until the repair step merges them.
    expect((await sql`select id, chat_id from messages order by id`.execute(upgraded.db)).rows).toEqual([
      { id: 'm1', chat_id: '333333333333333@lid' },
      { id: 'm2', chat_id: '333333333333333@lid' },
      { id: 'm3', chat_id: '444444444444444@lid' },
    ]);

    const insert = (ws: string, lid: string, phone: string, source = 'message') =>
      sql`insert into lid_mappings (workspace_id, lid, phone_jid, business_number, source, created_at, updated_at)
        values (${ws}, ${lid}, ${phone}, '+2348090000002', ${source}, 1, 1)`.execute(upgraded.db);
    await insert('wb', '111111111111111@lid', '2348031111111@s.whatsapp.net'); // per workspace
    await expect(insert('wb', '111111111111111@lid', '2348031111111@s.whatsapp.net')).rejects.toThrow(
      /UNIQUE|PRIMARY KEY/,
    );
    await expect(insert('wb', '2348031111111@s.whatsapp.net', '1@lid')).rejects.toThrow(/CHECK/);
    await expect(insert('wb', '5@lid', '2348031111111@s.whatsapp.net', 'guess')).rejects.toThrow(/CHECK/);
    await expect(insert('nope', '5@lid', '2348031111111@s.whatsapp.net')).rejects.toThrow(/FOREIGN KEY/);
    await sql`delete from workspaces where id = 'wa'`.execute(upgraded.db);
    expect(
      (await sql`select workspace_id, count(*) as n from lid_mappings`.execute(upgraded.db)).rows,
    ).toEqual([{ workspace_id: 'wb', n: 1 }]);
    await upgraded.close();
  });
});
