import { sql, type Kysely } from 'kysely';
import type { E164, MessageAuthor, WorkspaceId } from '../../../shared/types';
import { foldText } from '../../../shared/fold-text';
import type { Database } from '../schema';
import { camelRow } from './row-fields';

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
  rowid: number;
  text: string;
  id: string;
  chat_id: string;
  business_number: string;
  author: string;
  at: number;
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
/** The longest beginning the index has a table for (`prefix = '3 4'` in migration 0015). */
const INDEXED_PREFIX = 4;
/** A longer beginning reads at most this many candidate rows, a page at a time. */
const PAGE = 100;
const MAX_PAGES = 20;

function startsAWord(text: string, beginning: string): boolean {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .some((word) => word.startsWith(beginning));
}

/**
 * Full-text search over one workspace's messages (the `message_search` FTS5 index of migration 0015),
 * newest first (descending rowid: insertion order). SQLite-only SQL, kept here in the store.
 */
export function createMessageSearchRepository(db: Kysely<Database>) {
  async function query(
    workspaceId: WorkspaceId,
    match: string,
    limit: number,
    beforeRowid?: number,
  ): Promise<(MessageHit & { rowid: number; text: string })[]> {
    const result = await sql<HitRow>`
      select message_search.rowid as rowid, m.id, m.chat_id, m.business_number, m.author, m.created_at as at, m.text,
        snippet(message_search, 0, ${HIT_START}, ${HIT_END}, '…', 16) as snippet
      from message_search
      join messages m on m.rowid = message_search.rowid
      where message_search match ${match} and m.workspace_id = ${workspaceId}
        ${beforeRowid === undefined ? sql`` : sql`and message_search.rowid < ${beforeRowid}`}
      order by message_search.rowid desc
      limit ${limit}
    `.execute(db);
    return result.rows.map((row) => ({
      ...camelRow(row),
      businessNumber: row.business_number as E164,
      author: row.author as MessageAuthor,
    }));
  }

  return {
    /**
     * Whole words first: FTS5 walks a word's matches lazily, newest first, and stops at the limit, so
     * even the commonest word costs well under a millisecond. Only when that leaves room does the last
     * word count as a beginning too ("transf" for "transfer"). A prefix query merges the matches of
     * every word it starts before returning any, so only 3- and 4-letter beginnings, which have their
     * own tables in the index, are asked as such; a longer one is asked by its first four letters and
     * the rows are kept when a word of theirs starts with the whole of it, page by page, newest first.
     */
    async search(workspaceId: WorkspaceId, search: string, limit = 30): Promise<MessageHit[]> {
      const capped = Math.min(Math.max(limit, 1), 200);
      const whole = ftsQuery(search);
      if (whole === null) return [];
      const hits = await query(workspaceId, whole, capped);
      const words = searchWords(search);
      const last = foldText(words.at(-1) ?? '');
      if (hits.length >= capped || [...last].length < MIN_PREFIX) return hits;
      if ([...last].length <= INDEXED_PREFIX) return query(workspaceId, ftsQuery(search, true)!, capped);

      const head = [...last].slice(0, INDEXED_PREFIX).join('');
      const match = [...words.slice(0, -1).map((w) => `"${w}"`), `"${head}"*`].join(' ');
      const found: MessageHit[] = [];
      let before: number | undefined;
      for (let page = 0; page < MAX_PAGES && found.length < capped; page++) {
        const rows = await query(workspaceId, match, PAGE, before);
        for (const row of rows) {
          if (found.length < capped && startsAWord(row.text, last)) found.push(row);
        }
        if (rows.length < PAGE) break;
        before = rows.at(-1)!.rowid;
      }
      return found;
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
