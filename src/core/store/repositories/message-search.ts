import { sql, type Kysely } from 'kysely';
import type { E164, MessageAuthor, WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';

/** Marks around each matched word in `MessageHit.snippet` (control characters no message text carries). */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';

export interface MessageHit {
  id: string;
  chatId: string;
  businessNumber: E164;
  author: MessageAuthor;
  at: number;
  /** The text around the match, matched words between HIT_START and HIT_END, cut with '…'. */
  snippet: string;
}

interface HitRow {
  id: string;
  chat_id: string;
  business_number: string;
  author: string;
  created_at: number;
  snippet: string;
}

/** The words of a search (letters and digits; anything else splits words), at most twelve. */
export function searchWords(search: string): string[] {
  return search.match(/[\p{L}\p{N}\p{M}]+/gu)?.slice(0, 12) ?? [];
}

/**
 * Words as an FTS5 query, all of them required, each quoted (so no FTS5 syntax can come through); with
 * `prefixLast` the last one may be the beginning of a word ("transf" finds "transfer"). Null for no word.
 */
export function ftsQuery(search: string, prefixLast = false): string | null {
  const words = searchWords(search);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${prefixLast && i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** A last word shorter than this is matched whole only: a one- or two-letter prefix matches most messages. */
const MIN_PREFIX = 3;

/**
 * Full-text search over one workspace's messages (the `message_search` FTS5 index of migration 0015),
 * newest first (descending rowid: insertion order). SQLite-only SQL, kept here in the store.
 */
export function createMessageSearchRepository(db: Kysely<Database>) {
  async function query(workspaceId: WorkspaceId, match: string, limit: number): Promise<MessageHit[]> {
    const result = await sql<HitRow>`
      select m.id, m.chat_id, m.business_number, m.author, m.created_at,
        snippet(message_search, 0, ${HIT_START}, ${HIT_END}, '…', 16) as snippet
      from message_search
      join messages m on m.rowid = message_search.rowid
      where message_search match ${match} and m.workspace_id = ${workspaceId}
      order by message_search.rowid desc
      limit ${limit}
    `.execute(db);
    return result.rows.map((row) => ({
      id: row.id,
      chatId: row.chat_id,
      businessNumber: row.business_number as E164,
      author: row.author as MessageAuthor,
      at: row.created_at,
      snippet: row.snippet,
    }));
  }

  return {
    /**
     * Whole words first: FTS5 walks a word's matches lazily, newest first, and stops at the limit, so
     * even the commonest word costs well under a millisecond. Only when that leaves room does the last
     * word count as a beginning too: a prefix query merges the matches of every word it starts, which
     * the index's 3- and 4-letter prefix tables make cheap for short beginnings.
     */
    async search(workspaceId: WorkspaceId, search: string, limit = 30): Promise<MessageHit[]> {
      const capped = Math.min(Math.max(limit, 1), 200);
      const whole = ftsQuery(search);
      if (whole === null) return [];
      const hits = await query(workspaceId, whole, capped);
      const last = searchWords(search).at(-1) ?? '';
      if (hits.length >= capped || [...last].length < MIN_PREFIX) return hits;
      return query(workspaceId, ftsQuery(search, true)!, capped);
    },

    /** The same question as a plain `LIKE '%q%'` scan: the benchmark's baseline. */
    async scanLike(workspaceId: WorkspaceId, search: string, limit = 30): Promise<string[]> {
      const rows = await db
        .selectFrom('messages')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('text', 'like', `%${search}%`)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
