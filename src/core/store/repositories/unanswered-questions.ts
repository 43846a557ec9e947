import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { IdGenerator } from '../../ids';
import type { Database } from '../schema';
import { normaliseToString } from '../../bot/faq/match-tokens';
import { closestForEach } from '../../bot/faq/question-similarity';
import { camelRow } from './row-fields';

/** The table of migration 0004 (declared here: the matcher's feature owns it). */
export interface UnansweredQuestionsTable {
  id: string;
  workspace_id: string;
  text: string;
  normalized: string;
  count: number;
  first_seen_at: number;
  last_seen_at: number;
  group_key: string;
  resolved: number;
}

export interface UnansweredQuestion {
  id: string;
  workspaceId: WorkspaceId;
  text: string;
  normalized: string;
  count: number;
  firstSeenAt: number;
  lastSeenAt: number;
  groupKey: string;
  resolved: boolean;
}

export interface UnansweredGroup {
  key: string;
  /** The most asked wording: a good first phrasing for a new FAQ. */
  representative: string;
  /** Times any question of the group was asked. */
  count: number;
  lastSeenAt: number;
  /** Most asked first. */
  questions: UnansweredQuestion[];
}

/** Stored texts are cut here (the table refuses longer ones); a question is rarely near it. */
const MAX_TEXT = 2000;
/** Open questions a new one is compared with to find its group: the most recent ones. */
const GROUPING_WINDOW = 500;

export type UnansweredRepository = ReturnType<typeof createUnansweredRepository>;

/**
 * Questions the bot could not answer, per workspace. The same question (after normalisation: case,
 * emoji, "pleaseee", Pidgin forms) is one row with a count; a new question joins the group of the most
 * similar open one (the matcher's features), so the owner sees "12 people asked about size 44" once.
 */
type UnansweredTable = ReturnType<typeof unansweredTable>;

function unansweredTable(db: Kysely<Database>) {
  return db.withTables<{ unanswered_questions: UnansweredQuestionsTable }>();
}

export function createUnansweredRepository(db: Kysely<Database>, newId: IdGenerator) {
  const table = unansweredTable(db);

  /**
   * Questions the bot could not answer, as one burst: the same question (after normalisation) counts
   * on its row, and a new one joins the group of the most similar open question (or of a new one
   * earlier in the burst). Returns each text's row after recording, undefined for an empty text.
   * Call inside a transaction: a burst costs one commit.
   */
  async function recordMany(
    workspaceId: WorkspaceId,
    texts: readonly string[],
    now: number,
  ): Promise<(UnansweredQuestion | undefined)[]> {
    const { items, asked } = tally(texts);
    const rows = await countAgain(table, workspaceId, asked, now);
    const fresh = [...asked.keys()].filter((n) => !rows.has(n));
    if (fresh.length > 0) {
      const inserted = await insertFresh(table, newId, workspaceId, asked, fresh, now);
      for (const row of inserted) rows.set(row.normalized, row);
    }
    return items.map(({ normalized }) => {
      const row = rows.get(normalized);
      return row === undefined ? undefined : toQuestion(row);
    });
  }

  return {
    /** One question the bot could not answer (see recordMany); undefined for text with no words (emoji only). */
    async record(
      workspaceId: WorkspaceId,
      text: string,
      now: number,
    ): Promise<UnansweredQuestion | undefined> {
      return (await recordMany(workspaceId, [text], now))[0];
    },

    recordMany,

    /** Open questions in groups of similar ones, most asked group first. */
    async listGroups(workspaceId: WorkspaceId): Promise<UnansweredGroup[]> {
      const rows = await table
        .selectFrom('unanswered_questions')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('resolved', '=', 0)
        .orderBy('count', 'desc')
        .orderBy('last_seen_at', 'desc')
        .orderBy('id')
        .execute();
      return groupQuestions(rows);
    },

    /** Marks questions handled (turned into phrasings or an FAQ); returns how many changed. */
    async resolve(workspaceId: WorkspaceId, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const result = await table
        .updateTable('unanswered_questions')
        .set({ resolved: 1 })
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', [...ids])
        .where('resolved', '=', 0)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

/** Each text cut and normalised, and how often each normalised question was asked in the burst. */
function tally(texts: readonly string[]) {
  const items = texts.map((t) => {
    const kept = t.trim().slice(0, MAX_TEXT);
    return { kept, normalized: normaliseToString(kept).slice(0, MAX_TEXT) };
  });
  const asked = new Map<string, { kept: string; times: number }>();
  for (const { kept, normalized } of items) {
    if (normalized === '') continue;
    const entry = asked.get(normalized);
    if (entry === undefined) asked.set(normalized, { kept, times: 1 });
    else entry.times += 1;
  }
  return { items, asked };
}

/** The rows of questions asked before, counted again; keyed by normalised text. */
async function countAgain(
  table: UnansweredTable,
  workspaceId: WorkspaceId,
  asked: ReadonlyMap<string, { times: number }>,
  now: number,
): Promise<Map<string, UnansweredQuestionsTable>> {
  const rows = new Map<string, UnansweredQuestionsTable>();
  const wanted = [...asked.keys()];
  for (let i = 0; i < wanted.length; i += 500) {
    const found = await table
      .selectFrom('unanswered_questions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('normalized', 'in', wanted.slice(i, i + 500))
      .execute();
    for (const row of found) rows.set(row.normalized, row);
  }
  // Asked again: it counts, and a question marked resolved that still was not answered reopens.
  for (const [normalized, { times }] of asked) {
    const existing = rows.get(normalized);
    if (existing === undefined) continue;
    const updated = { ...existing, count: existing.count + times, last_seen_at: now, resolved: 0 };
    await table
      .updateTable('unanswered_questions')
      .set({ count: updated.count, last_seen_at: now, resolved: 0 })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', existing.id)
      .execute();
    rows.set(normalized, updated);
  }
  return rows;
}

/** New questions, each in the group of the most similar open one (or a new one earlier in the burst). */
async function insertFresh(
  table: UnansweredTable,
  newId: IdGenerator,
  workspaceId: WorkspaceId,
  asked: ReadonlyMap<string, { kept: string; times: number }>,
  fresh: readonly string[],
  now: number,
): Promise<UnansweredQuestionsTable[]> {
  const open = await table
    .selectFrom('unanswered_questions')
    .select(['normalized', 'group_key'])
    .where('workspace_id', '=', workspaceId)
    .where('resolved', '=', 0)
    .orderBy('last_seen_at', 'desc')
    .limit(GROUPING_WINDOW)
    .execute();
  const closest = closestForEach(
    open.map((o) => o.normalized),
    fresh,
  );
  const inserted: UnansweredQuestionsTable[] = [];
  for (const [k, normalized] of fresh.entries()) {
    const id = newId();
    const c = closest[k]!;
    inserted.push({
      id,
      workspace_id: workspaceId,
      text: asked.get(normalized)!.kept,
      normalized,
      count: asked.get(normalized)!.times,
      first_seen_at: now,
      last_seen_at: now,
      group_key: c < 0 ? id : c < open.length ? open[c]!.group_key : inserted[c - open.length]!.group_key,
      resolved: 0,
    });
  }
  for (let i = 0; i < inserted.length; i += 100) {
    await table
      .insertInto('unanswered_questions')
      .values(inserted.slice(i, i + 100))
      .execute();
  }
  return inserted;
}

function groupQuestions(rows: readonly UnansweredQuestionsTable[]): UnansweredGroup[] {
  const groups = new Map<string, UnansweredGroup>();
  for (const row of rows) {
    const question = toQuestion(row);
    const group = groups.get(row.group_key);
    if (group === undefined) {
      groups.set(row.group_key, {
        key: row.group_key,
        representative: question.text,
        count: question.count,
        lastSeenAt: question.lastSeenAt,
        questions: [question],
      });
    } else {
      group.count += question.count;
      group.lastSeenAt = Math.max(group.lastSeenAt, question.lastSeenAt);
      group.questions.push(question);
    }
  }
  return [...groups.values()].sort(
    (a, b) => b.count - a.count || b.lastSeenAt - a.lastSeenAt || a.key.localeCompare(b.key),
  );
}

function toQuestion(row: UnansweredQuestionsTable): UnansweredQuestion {
  return { ...camelRow(row), workspaceId: row.workspace_id as WorkspaceId, resolved: row.resolved === 1 };
}
