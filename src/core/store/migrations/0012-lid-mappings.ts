import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';

/**
 * Which phone number each LID stands for (WhatsApp's private ids, `<digits>@lid`), so one customer who
 * writes by phone number and later by LID stays one conversation.
 *
 * Per workspace, not per receiving number: a LID names a WhatsApp account, the same whichever of the
 * shop's numbers it writes to, so what one number learns holds for the others; and not machine-wide,
 * because what a workspace learns stays inside it (isolation). `business_number` and `source` only
 * say where a mapping came from ('message', 'lid-mapping.update', 'key-store': what Baileys stored
 * itself, or 'upgrade': seeded here).
 *
 * Seeded from what the file already knows: the mappings Baileys kept in each number's key store
 * ('lid-mapping' keys, `<pnUser>` -> `"<lidUser>"`), a message under a LID chat whose contact has a
 * phone number (the old mapper took the phone from `remoteJidAlt` and matched the contact by it), and
 * a contact last seen writing from a LID with a known phone. Chats already split in two are merged by
 * the repair step at start (lid-mappings.ts, mergeSplitChats), not here: a mapping learnt later (the
 * first history sync after the upgrade, a 'lid-mapping.update') must merge the same way, so there is
 * one merge, tested once, instead of a frozen copy in this file.
 */
export const migration0012LidMappings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create table lid_mappings (
      workspace_id text not null references workspaces (id) on delete cascade,
      lid text not null check (lid like '%@lid' and length(lid) <= 64),
      phone_jid text not null check (phone_jid like '%@s.whatsapp.net' and length(phone_jid) <= 64),
      business_number text not null,
      source text not null check (source in ('message', 'lid-mapping.update', 'key-store', 'upgrade')),
      created_at integer not null,
      updated_at integer not null,
      primary key (workspace_id, lid)
    )`.execute(db);

    // Only plain digits on both sides: a device-qualified, odd or oversized id is left out rather
    // than failing the check (and with it the upgrade). `insert or ignore`: the first source that
    // names a LID wins (they cannot disagree through the contact rules; a hand-edited file might).
    const digits = (value: RawBuilder<unknown>) =>
      sql`(${value} <> '' and length(${value}) <= 40 and ${value} not glob '*[^0-9]*')`;
    const insert = sql`insert or ignore into lid_mappings
      (workspace_id, lid, phone_jid, business_number, source, created_at, updated_at)`;

    const lidUser = sql`trim(k.value, '"')`;
    await sql`${insert}
      select k.workspace_id, ${lidUser} || '@lid', k.key_id || '@s.whatsapp.net', p.e164, 'upgrade',
        p.updated_at, p.updated_at
      from wa_auth_keys k
      join phone_numbers p on p.workspace_id = k.workspace_id and p.id = k.phone_number_id
      where k.type = 'lid-mapping' and ${digits(sql`k.key_id`)} and ${digits(lidUser)}
      order by k.workspace_id, k.phone_number_id, k.key_id`.execute(db);

    const chatUser = sql`substr(m.chat_id, 1, length(m.chat_id) - 4)`;
    await sql`${insert}
      select m.workspace_id, m.chat_id, substr(c.phone_e164, 2) || '@s.whatsapp.net',
        min(m.business_number), 'upgrade', min(m.created_at), min(m.created_at)
      from messages m
      join contacts c on c.workspace_id = m.workspace_id and c.id = m.contact_id
      where m.direction = 'in' and m.chat_id like '%@lid' and ${digits(chatUser)}
        and c.phone_e164 like '+%'
      group by m.workspace_id, m.chat_id
      order by m.workspace_id, m.chat_id`.execute(db);

    const waUser = sql`substr(c.wa_id, 1, length(c.wa_id) - 4)`;
    await sql`${insert}
      select c.workspace_id, c.wa_id, substr(c.phone_e164, 2) || '@s.whatsapp.net', '', 'upgrade',
        c.updated_at, c.updated_at
      from contacts c
      where c.wa_id like '%@lid' and ${digits(waUser)} and c.phone_e164 like '+%'
      order by c.workspace_id, c.id`.execute(db);
  },
};
