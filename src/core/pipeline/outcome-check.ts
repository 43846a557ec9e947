import { sql, type Kysely } from 'kysely';
import type { WorkspaceId } from '../../shared/types';
import type { Database } from '../store/schema';

/**
 * "No customer unaccounted for", as one query the code can run. Every customer message must
 * end in exactly one outcome the owner can see:
 *  - answered: decided 'answered' and its reply is queued, being sent or sent; or a person answered
 *    in the chat after it;
 *  - with a person: decided 'person' (or answered, but the reply failed) and the chat is in "Needs you"
 *    (waiting_since set), or the owner answered after it, or gave the chat back to the bot after it, or
 *    sent it the answer of an FAQ made from it in Unanswered (an outbox 'faq' reply to it);
 *  - deliberately left ('left': a group, small talk, a repeat; 'unanswered': hand-offs off, listed in
 *    Unanswered), with the reason stored in `messages.decision`.
 * A message still 'received' (not decided) counts as in progress for `graceMs`, then as missing: the
 * pipeline decides within a second, and at every start.
 */
export interface OutcomeCheck {
  /** Customer messages with no outcome: must be empty. */
  missing: MissingOutcome[];
  /** Messages received in the last `graceMs` and not decided yet. */
  inProgress: number;
  /** How many customer messages were checked. */
  checked: number;
}

export interface MissingOutcome {
  id: string;
  chatId: string;
  businessNumber: string;
  status: string;
  disposition: string | null;
  decision: string | null;
  text: string | null;
  createdAt: number;
}

interface Row {
  id: string;
  chat_id: string;
  business_number: string;
  status: string;
  disposition: string | null;
  decision: string | null;
  text: string | null;
  created_at: number;
  accounted: number;
  in_progress: number;
}

export async function checkOutcomes(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  now: number,
  graceMs = 60_000,
): Promise<OutcomeCheck> {
  const { rows } = await sql<Row>`
    select m.id, m.chat_id, m.business_number, m.status, m.disposition, m.decision, m.text, m.created_at,
      (m.status = 'received' and m.created_at > ${now - graceMs}) as in_progress,
      (
        m.disposition in ('left', 'unanswered')
        or (m.disposition = 'answered' and exists (
          select 1 from outbox o
          where o.workspace_id = m.workspace_id and o.inbound_message_id = m.id
            and o.status in ('queued', 'sending', 'sent')))
        or (m.disposition = 'person' and exists (
          select 1 from outbox o
          where o.workspace_id = m.workspace_id and o.inbound_message_id = m.id and o.kind = 'faq'
            and o.status in ('queued', 'sending', 'sent')))
        or (m.disposition in ('answered', 'person') and (
          exists (
            select 1 from messages x
            where x.workspace_id = m.workspace_id and x.chat_id = m.chat_id and x.author = 'owner'
              and x.status != 'failed' and x.created_at >= m.created_at)
          or exists (
            select 1 from conversations c
            where c.workspace_id = m.workspace_id and c.chat_id = m.chat_id
              and (c.waiting_since is not null or c.released_at >= m.created_at))))
      ) as accounted
    from messages m
    where m.workspace_id = ${workspaceId} and m.direction = 'in'
    order by m.created_at, m.id
  `.execute(db);
  const missing: MissingOutcome[] = [];
  let inProgress = 0;
  for (const r of rows) {
    if (Number(r.in_progress) === 1) {
      inProgress += 1;
      continue;
    }
    if (Number(r.accounted) === 1) continue;
    missing.push({
      id: r.id,
      chatId: r.chat_id,
      businessNumber: r.business_number,
      status: r.status,
      disposition: r.disposition,
      decision: r.decision,
      text: r.text,
      createdAt: r.created_at,
    });
  }
  return { missing, inProgress, checked: rows.length };
}
