import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { E164, WorkspaceId } from '../../../shared/types';
import { tempDatabasePath } from '../../testing/temp-files';
import { MIGRATION_NAMES } from '../migrations/index';
import { openDatabase, type Store } from '../open-database';
import { createLidMappingRepository, repairSplitChats } from './lid-mappings';

const WS = 'wa' as WorkspaceId;
const SHOP = '+2348090000001' as E164;
const SHOP_2 = '+2348090000002' as E164;
const PHONE_CHAT = '2348033333333@s.whatsapp.net';
const LID_CHAT = '333333333333333@lid';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});
const tempPath = () => tempDatabasePath(cleanups);

/** A file as a version before 0012 left it: Chidi's chat split in two on SHOP, LID-only on SHOP_2. */
async function splitChatBefore0012(path: string): Promise<void> {
  const before = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('0012-lid-mappings') - 1]!;
  const old = await openDatabase({ path, migrateTo: before });
  const db = old.db;
  await sql`insert into workspaces (id, name, default_country, bot_mode, tier, settings, created_at, updated_at)
    values ('wa', 'Shop A', 'NG', 'faq', 'free', '{}', 1, 1), ('wb', 'Shop B', 'NG', 'faq', 'free', '{}', 1, 1)`.execute(
    db,
  );
  await sql`insert into contacts (id, workspace_id, phone_e164, wa_id, name, created_at, updated_at)
    values ('c3', 'wa', '+2348033333333', ${LID_CHAT}, 'Chidi', 1, 1),
           ('c3b', 'wb', null, ${LID_CHAT}, 'Chidi', 1, 1)`.execute(db);
  const message = (id: string, ws: string, number: string, chat: string, direction: string, at: number) =>
    sql`insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, contact_id,
        direction, author, text, status, provider_ts, created_at, updated_at, chat_kind)
      values (${id}, ${ws}, ${number}, ${`W-${id}`}, ${chat}, ${direction === 'in' ? (ws === 'wa' ? 'c3' : 'c3b') : null},
        ${direction}, ${direction === 'in' ? 'contact' : 'bot'}, 'hi', 'replied', ${at}, ${at}, ${at},
        ${direction === 'in' ? 'direct' : null})`.execute(db);
  await message('m1', 'wa', SHOP, PHONE_CHAT, 'in', 100);
  await message('m2', 'wa', SHOP, PHONE_CHAT, 'out', 101);
  await message('m3', 'wa', SHOP, LID_CHAT, 'in', 200);
  await message('m4', 'wa', SHOP, LID_CHAT, 'out', 201);
  await message('m5', 'wa', SHOP_2, LID_CHAT, 'in', 300);
  // Workspace B has the same customer by LID but never learnt his phone: left alone.
  await message('m6', 'wb', SHOP, LID_CHAT, 'in', 400);
  const outbox = (id: string, ws: string, chat: string, status: string) =>
    sql`insert into outbox (id, workspace_id, business_number, chat_id, inbound_message_id, kind, text, status,
        attempts, next_attempt_at, created_at, updated_at)
      values (${id}, ${ws}, ${SHOP}, ${chat}, null, 'faq', 'Yes', ${status}, 0, 1, 1, 1)`.execute(db);
  await outbox('o1', 'wa', PHONE_CHAT, 'sent');
  await outbox('o2', 'wa', LID_CHAT, 'queued');
  await outbox('o3', 'wb', LID_CHAT, 'queued');
  // [workspace, number, chat, first seen, last inbound, greeted, hand-off, paused until, away, flood]
  type Handoff = [number, string] | null;
  const states: [
    string,
    string,
    string,
    number,
    number,
    number,
    Handoff,
    number | null,
    string | null,
    [number, number] | null,
  ][] = [
    ['wa', SHOP, PHONE_CHAT, 100, 150, 100, null, 120, '2026-11-18T18:00', [140, 2]],
    ['wa', SHOP, LID_CHAT, 200, 300, 200, [250, 'handoff-keyword:agent'], 900, '2026-11-19T18:00', [280, 1]],
    ['wa', SHOP_2, LID_CHAT, 300, 300, 300, null, null, null, null],
    ['wb', SHOP, LID_CHAT, 400, 400, 400, null, null, null, null],
  ];
  for (const [ws, number, chat, first, inbound, greeted, handoff, paused, away, flood] of states) {
    await sql`insert into conversations (workspace_id, business_number, chat_id, contact_id, first_seen_at,
        last_inbound_at, greeted_at, handoff_since, handoff_reason, bot_paused_until, last_away_period,
        flood_window_start, flood_count, updated_at)
      values (${ws}, ${number}, ${chat}, ${chat === PHONE_CHAT ? 'c3' : null}, ${first}, ${inbound}, ${greeted},
        ${handoff?.[0] ?? null}, ${handoff?.[1] ?? null}, ${paused}, ${away}, ${flood?.[0] ?? null},
        ${flood?.[1] ?? 0}, 1)`.execute(db);
  }
  // The LID half waits for a person (0011): the merged chat must stay in "Needs you".
  await sql`update conversations set waiting_since = 260, waiting_reason = 'handoff-keyword:agent',
      last_answer_faq_id = 'faq-hours'
    where workspace_id = 'wa' and business_number = ${SHOP} and chat_id = ${LID_CHAT}`.execute(db);
  await sql`update conversations set released_at = 90
    where workspace_id = 'wa' and business_number = ${SHOP} and chat_id = ${PHONE_CHAT}`.execute(db);
  await old.close();
}

const chatsOf = async (store: Store, table: 'messages' | 'outbox', ws: string) =>
  (
    await store.db
      .selectFrom(table)
      .select(['id', 'chat_id'])
      .where('workspace_id', '=', ws)
      .orderBy('id')
      .execute()
  ).map((r) => `${r.id} ${r.chat_id}`);

describe('split chats (one customer by phone number and by LID)', () => {
  it('are merged by the repair step after the upgrade: rows moved, state merged, the rest untouched', async () => {
    const path = tempPath();
    await splitChatBefore0012(path);
    const store = await openDatabase({ path });
    cleanups.push(() => void store.close());

    expect([...(await repairSplitChats(store, 5_000))]).toEqual([[WS, 1]]);
    expect(await chatsOf(store, 'messages', 'wa')).toEqual([
      `m1 ${PHONE_CHAT}`,
      `m2 ${PHONE_CHAT}`,
      `m3 ${PHONE_CHAT}`,
      `m4 ${PHONE_CHAT}`,
      `m5 ${PHONE_CHAT}`,
    ]);
    expect(await chatsOf(store, 'outbox', 'wa')).toEqual([`o1 ${PHONE_CHAT}`, `o2 ${PHONE_CHAT}`]);
    const conversations = await store.db
      .selectFrom('conversations')
      .selectAll()
      .orderBy('workspace_id')
      .orderBy('business_number')
      .execute();
    expect(conversations).toEqual([
      {
        workspace_id: 'wa',
        business_number: SHOP,
        chat_id: PHONE_CHAT,
        contact_id: 'c3',
        first_seen_at: 100,
        last_inbound_at: 300,
        // Greeted once, at the first greeting; the hand-off waiting in the LID half still holds, and so
        // does the longer pause.
        greeted_at: 100,
        handoff_since: 250,
        handoff_reason: 'handoff-keyword:agent',
        bot_paused_until: 900,
        last_away_period: '2026-11-19T18:00',
        flood_window_start: 280,
        flood_count: 1,
        last_answer_faq_id: 'faq-hours',
        waiting_since: 260,
        waiting_reason: 'handoff-keyword:agent',
        released_at: 90,
        clarify_faq_ids: null,
        clarify_asked_at: null,
        clarify_expires_at: null,
        updated_at: 5_000,
      },
      {
        workspace_id: 'wa',
        business_number: SHOP_2,
        chat_id: PHONE_CHAT,
        contact_id: null,
        first_seen_at: 300,
        last_inbound_at: 300,
        greeted_at: 300,
        handoff_since: null,
        handoff_reason: null,
        bot_paused_until: null,
        last_away_period: null,
        flood_window_start: null,
        flood_count: 0,
        last_answer_faq_id: null,
        waiting_since: null,
        waiting_reason: null,
        released_at: null,
        clarify_faq_ids: null,
        clarify_asked_at: null,
        clarify_expires_at: null,
        updated_at: 5_000,
      },
      expect.objectContaining({ workspace_id: 'wb', chat_id: LID_CHAT, greeted_at: 400, updated_at: 1 }),
    ]);
    expect(await chatsOf(store, 'messages', 'wb')).toEqual([`m6 ${LID_CHAT}`]);

    // Nothing left to do on the next start.
    expect([...(await repairSplitChats(store, 6_000))]).toEqual([]);
  });

  it('are merged the moment a mapping is learnt; a known mapping or a malformed pair changes nothing', async () => {
    const path = tempPath();
    await splitChatBefore0012(path);
    const store = await openDatabase({ path });
    cleanups.push(() => void store.close());
    await store.db.deleteFrom('lid_mappings').execute(); // as if nothing had been seeded
    const learn = (mappings: { lid: string; phoneJid: string }[], now: number) =>
      store.transaction((trx) =>
        createLidMappingRepository(trx).learn(WS, SHOP_2, mappings, 'key-store', now),
      );

    expect(
      await learn(
        [
          { lid: LID_CHAT, phoneJid: PHONE_CHAT },
          { lid: '1:2@lid', phoneJid: PHONE_CHAT },
          { lid: PHONE_CHAT, phoneJid: LID_CHAT },
        ],
        7_000,
      ),
    ).toEqual({ learnt: [{ lid: LID_CHAT, phoneJid: PHONE_CHAT }], mergedChats: 1 });
    expect(await chatsOf(store, 'messages', 'wa')).not.toContain(`m3 ${LID_CHAT}`);
    expect(await createLidMappingRepository(store.db).list(WS)).toEqual([
      { lid: LID_CHAT, phoneJid: PHONE_CHAT },
    ]);
    expect(await learn([{ lid: LID_CHAT, phoneJid: PHONE_CHAT }], 8_000)).toEqual({
      learnt: [],
      mergedChats: 0,
    });
    const row = await store.db.selectFrom('lid_mappings').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ business_number: SHOP_2, source: 'key-store', created_at: 7_000 });
    // Workspace B learnt nothing: its split chat stays as it was.
    expect(await chatsOf(store, 'messages', 'wb')).toEqual([`m6 ${LID_CHAT}`]);
  });
});
