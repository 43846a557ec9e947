import type { Kysely, Selectable } from 'kysely';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Store } from '../open-database';
import type { ConversationsTable, Database } from '../schema';
import { keyedTable } from './keyed-table';

/**
 * LID <-> phone number, per workspace (migration 0012), and the merge of a customer's chat that was
 * split in two by it. The canonical chat id of a direct chat is the phone-number JID whenever the
 * phone is known: it is what contacts, replies and the Conversations screen already use, and sending
 * to it is what reaches the customer (whatsapp-notes.md: sends to a LID sometimes never arrive).
 */

/** One LID and the phone-number JID it stands for, both without a device (`…@lid`, `…@s.whatsapp.net`). */
export interface LidMapping {
  lid: string;
  phoneJid: string;
}

/**
 * Where a mapping came from: a message's alt address, Baileys' 'lid-mapping.update' event, Baileys'
 * own key store (the first history sync's mappings, device lookups), or rows kept before 0012.
 */
export const LID_MAPPING_SOURCES = ['message', 'lid-mapping.update', 'key-store', 'upgrade'] as const;
export type LidMappingSource = (typeof LID_MAPPING_SOURCES)[number];

export type LidMappingRepository = ReturnType<typeof createLidMappingRepository>;

const LID = /^\d{1,40}@lid$/;
const PHONE_JID = /^\d{1,20}@s\.whatsapp\.net$/;

/** Only well-formed, device-less pairs are stored: anything else would never match a chat id. */
export function isStorableMapping(m: LidMapping): boolean {
  return LID.test(m.lid) && PHONE_JID.test(m.phoneJid);
}

type ConversationRow = Selectable<ConversationsTable>;

/**
 * Merges the chat's state on one number into the phone chat's: the phone row is kept (or the LID row
 * renamed when the phone chat has none on that number).
 */
async function mergeConversation(
  db: Kysely<Database>,
  at: { workspaceId: WorkspaceId; phoneJid: string; now: number },
  fromLid: ConversationRow,
  intoPhone: ConversationRow | undefined,
): Promise<void> {
  const { workspaceId, phoneJid, now } = at;
  const lid = fromLid.chat_id;
  const number = fromLid.business_number;
  if (intoPhone !== undefined) {
    await db
      .deleteFrom('conversations')
      .where('workspace_id', '=', workspaceId)
      .where('business_number', '=', number)
      .where('chat_id', '=', lid)
      .execute();
  }
  const {
    workspace_id: _ws,
    business_number: _n,
    chat_id: _c,
    ...merged
  } = mergeStates(fromLid, intoPhone, now);
  await db
    .updateTable('conversations')
    .set(intoPhone === undefined ? { ...merged, chat_id: phoneJid } : merged)
    .where('workspace_id', '=', workspaceId)
    .where('business_number', '=', number)
    .where('chat_id', '=', intoPhone === undefined ? lid : phoneJid)
    .execute();
}

/**
 * Moves everything stored under `lid` to `phoneJid` on every number of the workspace: messages, outbox
 * rows, and the conversation state, merged with the phone chat's where both exist.
 */
async function mergeChat(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  { lid, phoneJid }: LidMapping,
  now: number,
) {
  const moved = await db
    .updateTable('messages')
    .set({ chat_id: phoneJid })
    .where('workspace_id', '=', workspaceId)
    .where('chat_id', '=', lid)
    .executeTakeFirst();
  await db
    .updateTable('outbox')
    .set({ chat_id: phoneJid })
    .where('workspace_id', '=', workspaceId)
    .where('chat_id', '=', lid)
    .execute();
  const rows = await db
    .selectFrom('conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('chat_id', 'in', [lid, phoneJid])
    .execute();
  let conversations = 0;
  for (const fromLid of rows.filter((r) => r.chat_id === lid)) {
    conversations++;
    const intoPhone = rows.find(
      (r) => r.chat_id === phoneJid && r.business_number === fromLid.business_number,
    );
    await mergeConversation(db, { workspaceId, phoneJid, now }, fromLid, intoPhone);
  }
  return { messages: Number(moved.numUpdatedRows), conversations };
}

/** The phone JID each of these LIDs is stored with now. */
async function knownPhones(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  lids: readonly string[],
): Promise<Map<string, string>> {
  const key = { workspace_id: workspaceId };
  const rows = await keyedTable(db, 'lid_mappings').findIn(key, 'lid', lids, ['lid', 'phone_jid']);
  return new Map(rows.map((r) => [r.lid, r.phone_jid]));
}

/** What a mapping was learnt from, written with it. */
interface LearntFrom {
  workspaceId: WorkspaceId;
  businessNumber: E164;
  source: LidMappingSource;
  now: number;
}

async function storeMapping(db: Kysely<Database>, from: LearntFrom, m: LidMapping): Promise<void> {
  const { workspaceId, businessNumber, source, now } = from;
  await db
    .insertInto('lid_mappings')
    .values({
      workspace_id: workspaceId,
      lid: m.lid,
      phone_jid: m.phoneJid,
      business_number: businessNumber,
      source,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'lid']).doUpdateSet({
        phone_jid: m.phoneJid,
        business_number: businessNumber,
        source,
        updated_at: now,
      }),
    )
    .execute();
}

async function learnMappings(
  db: Kysely<Database>,
  from: LearntFrom,
  mappings: readonly LidMapping[],
): Promise<{ learnt: LidMapping[]; mergedChats: number }> {
  const wanted = new Map(mappings.filter(isStorableMapping).map((m) => [m.lid, m]));
  if (wanted.size === 0) return { learnt: [], mergedChats: 0 };
  const known = await knownPhones(db, from.workspaceId, [...wanted.keys()]);
  const learnt = [...wanted.values()].filter((m) => known.get(m.lid) !== m.phoneJid);
  let mergedChats = 0;
  for (const m of learnt) {
    await storeMapping(db, from, m);
    const merged = await mergeChat(db, from.workspaceId, m, from.now);
    if (merged.messages > 0 || merged.conversations > 0) mergedChats++;
  }
  return { learnt, mergedChats };
}

export function createLidMappingRepository(db: Kysely<Database>) {
  return {
    async list(workspaceId: WorkspaceId): Promise<LidMapping[]> {
      const rows = await db
        .selectFrom('lid_mappings')
        .select(['lid', 'phone_jid'])
        .where('workspace_id', '=', workspaceId)
        .execute();
      return rows.map((r) => ({ lid: r.lid, phoneJid: r.phone_jid }));
    },

    /**
     * Stores what `businessNumber` learnt and merges any chat the new or changed mappings had split.
     * Call inside `store.transaction`: a mapping never commits without its merge. Returns the
     * mappings that were new or changed, and how many chats were merged.
     */
    learn: (
      workspaceId: WorkspaceId,
      businessNumber: E164,
      mappings: readonly LidMapping[],
      source: LidMappingSource,
      now: number,
    ): Promise<{ learnt: LidMapping[]; mergedChats: number }> =>
      learnMappings(db, { workspaceId, businessNumber, source, now }, mappings),

    /**
     * The repair step at start: chats still stored under a LID whose phone number is known (kept by
     * a version before 0012, or learnt while a merge could not run) are merged into the phone chat.
     * Cheap when there is nothing to do: one indexed probe per mapping. Call inside `store.transaction`.
     */
    async mergeSplitChats(workspaceId: WorkspaceId, now: number): Promise<number> {
      const split = await db
        .selectFrom('lid_mappings as l')
        .select(['l.lid', 'l.phone_jid'])
        .where('l.workspace_id', '=', workspaceId)
        .where((eb) =>
          eb.or(
            (['messages', 'outbox', 'conversations'] as const).map((table) =>
              eb.exists(
                eb
                  .selectFrom(table)
                  .select(eb.lit(1).as('one'))
                  .whereRef(`${table}.workspace_id`, '=', 'l.workspace_id')
                  .whereRef(`${table}.chat_id`, '=', 'l.lid'),
              ),
            ),
          ),
        )
        .execute();
      for (const { lid, phone_jid } of split)
        await mergeChat(db, workspaceId, { lid, phoneJid: phone_jid }, now);
      return split.length;
    },
  };
}

/**
 * The repair step at start, for every workspace on the machine (each in its own transaction): chats
 * split before 0012, or by a mapping stored while its merge failed, become one. Returns the number of
 * chats merged per workspace that had any.
 */
export async function repairSplitChats(store: Store, now: number): Promise<Map<WorkspaceId, number>> {
  const merged = new Map<WorkspaceId, number>();
  const workspaces = await store.db.selectFrom('lid_mappings').select('workspace_id').distinct().execute();
  for (const { workspace_id } of workspaces) {
    const workspaceId = workspace_id as WorkspaceId;
    const n = await store.transaction((trx) =>
      createLidMappingRepository(trx).mergeSplitChats(workspaceId, now),
    );
    if (n > 0) merged.set(workspaceId, n);
  }
  return merged;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * One customer's state from two halves: the earliest first contact and greeting (a greeted customer
 * is never greeted again), the latest inbound message, pause and away period, and a hand-off waiting
 * in either (the earlier one, with its reason) so the bot stays out of the whole chat.
 */
export function mergeStates(
  lid: ConversationRow,
  phone: ConversationRow | undefined,
  now: number,
): ConversationRow {
  if (phone === undefined) return { ...lid, updated_at: now };
  const handoffFrom =
    phone.handoff_since !== null && (lid.handoff_since === null || phone.handoff_since <= lid.handoff_since)
      ? phone
      : lid;
  const floodFrom = (lid.flood_window_start ?? -1) > (phone.flood_window_start ?? -1) ? lid : phone;
  // A customer waiting for a person on either address still waits, from the earlier of the two.
  const waitingFrom =
    phone.waiting_since !== null && (lid.waiting_since === null || phone.waiting_since <= lid.waiting_since)
      ? phone
      : lid;
  const away = [phone.last_away_period, lid.last_away_period].filter((p): p is string => p !== null).sort();
  return {
    ...phone,
    contact_id: phone.contact_id ?? lid.contact_id,
    first_seen_at: Math.min(phone.first_seen_at, lid.first_seen_at),
    last_inbound_at: maxOf(phone.last_inbound_at, lid.last_inbound_at),
    greeted_at: minOf(phone.greeted_at, lid.greeted_at),
    handoff_since: handoffFrom.handoff_since,
    handoff_reason: handoffFrom.handoff_reason,
    bot_paused_until: maxOf(phone.bot_paused_until, lid.bot_paused_until),
    last_away_period: away[away.length - 1] ?? null,
    flood_window_start: floodFrom.flood_window_start,
    flood_count: floodFrom.flood_count,
    last_answer_faq_id: floodFrom.last_answer_faq_id,
    waiting_since: waitingFrom.waiting_since,
    waiting_reason: waitingFrom.waiting_reason,
    released_at: maxOf(phone.released_at, lid.released_at),
    // The clarifying question asked last is the one the customer's next message answers.
    ...((lid.clarify_asked_at ?? -1) > (phone.clarify_asked_at ?? -1) && {
      clarify_faq_ids: lid.clarify_faq_ids,
      clarify_asked_at: lid.clarify_asked_at,
      clarify_expires_at: lid.clarify_expires_at,
    }),
    updated_at: now,
  };
}
