import type { Selectable } from 'kysely';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { ConversationsTable } from '../schema';
import type { Clarification, ConversationRecord } from './conversation-types';

export const NO_CLARIFICATION = { clarify_faq_ids: null, clarify_asked_at: null, clarify_expires_at: null };

/** The hand-off reason of a chat the owner took over from the bot. */
export const OWNER_TOOK_OVER = 'owner-took-over';

export function toRow(workspaceId: WorkspaceId, r: ConversationRecord, now: number): ConversationsTable {
  return {
    workspace_id: workspaceId,
    business_number: r.businessNumber,
    chat_id: r.chatId,
    contact_id: r.contactId,
    first_seen_at: r.firstSeenAt,
    last_inbound_at: r.lastInboundAt,
    greeted_at: r.greetedAt,
    handoff_since: r.handoff?.since ?? null,
    handoff_reason: r.handoff?.reason ?? null,
    bot_paused_until: r.botPausedUntil,
    last_away_period: r.lastAwayPeriod,
    flood_window_start: r.floodWindowStart,
    flood_count: r.floodCount,
    last_answer_faq_id: r.lastAnswerFaqId,
    waiting_since: r.waiting?.since ?? null,
    waiting_reason: r.waiting?.reason ?? null,
    released_at: r.releasedAt,
    clarify_faq_ids: r.clarification === null ? null : JSON.stringify(r.clarification.faqIds),
    clarify_asked_at: r.clarification?.askedAt ?? null,
    clarify_expires_at: r.clarification?.expiresAt ?? null,
    updated_at: now,
  };
}

export function toRecord(row: Selectable<ConversationsTable>): ConversationRecord {
  return {
    businessNumber: row.business_number as E164,
    chatId: row.chat_id,
    contactId: row.contact_id,
    firstSeenAt: row.first_seen_at,
    lastInboundAt: row.last_inbound_at,
    greetedAt: row.greeted_at,
    handoff:
      row.handoff_since === null ? null : { since: row.handoff_since, reason: row.handoff_reason ?? '' },
    botPausedUntil: row.bot_paused_until,
    lastAwayPeriod: row.last_away_period,
    floodWindowStart: row.flood_window_start,
    floodCount: row.flood_count,
    lastAnswerFaqId: row.last_answer_faq_id,
    waiting:
      row.waiting_since === null ? null : { since: row.waiting_since, reason: row.waiting_reason ?? '' },
    releasedAt: row.released_at,
    clarification: readClarification(row),
  };
}

function readClarification(row: Selectable<ConversationsTable>): Clarification | null {
  if (row.clarify_faq_ids === null || row.clarify_expires_at === null) return null;
  let ids: unknown;
  try {
    ids = JSON.parse(row.clarify_faq_ids);
  } catch {
    return null; // unreadable: as if nothing were pending (the next message is decided afresh)
  }
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) return null;
  return {
    faqIds: ids,
    askedAt: row.clarify_asked_at ?? row.clarify_expires_at,
    expiresAt: row.clarify_expires_at,
  };
}
