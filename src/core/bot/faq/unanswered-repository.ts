import type { Kysely } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { IdGenerator } from '../../ids';
import type { Database } from '../../store/schema';
import { normaliseToString } from './normalise';
import { closestQuestion } from './question-similarity';

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
export function createUnansweredRepository(db: Kysely<Database>, newId: IdGenerator) {
  const table = db.withTables<{ unanswered_questions: UnansweredQuestionsTable }>();

  return {
    /** Counts an abstained question; returns its row, or undefined for text with no words (emoji only). */
    async record(
      workspaceId: WorkspaceId,
      text: string,
      now: number,
    ): Promise<UnansweredQuestion | undefined> {
      const kept = text.trim().slice(0, MAX_TEXT);
      const normalized = normaliseToString(kept).slice(0, MAX_TEXT);
      if (normalized === '') return undefined;
      const existing = await table
        .selectFrom('unanswered_questions')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('normalized', '=', normalized)
        .executeTakeFirst();
      if (existing !== undefined) {
        // Asked again: it counts, and a question marked resolved that still was not answered reopens.
        await table
          .updateTable('unanswered_questions')
          .set({ count: existing.count + 1, last_seen_at: now, resolved: 0 })
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', existing.id)
          .execute();
        return toQuestion({ ...existing, count: existing.count + 1, last_seen_at: now, resolved: 0 });
      }
      const open = await table
        .selectFrom('unanswered_questions')
        .select(['normalized', 'group_key'])
        .where('workspace_id', '=', workspaceId)
        .where('resolved', '=', 0)
        .orderBy('last_seen_at', 'desc')
        .limit(GROUPING_WINDOW)
        .execute();
      const id = newId();
      const closest = closestQuestion(
        normalized,
        open.map((o) => o.normalized),
      );
      const row: UnansweredQuestionsTable = {
        id,
        workspace_id: workspaceId,
        text: kept,
        normalized,
        count: 1,
        first_seen_at: now,
        last_seen_at: now,
        group_key: closest < 0 ? id : open[closest]!.group_key,
        resolved: 0,
      };
      await table.insertInto('unanswered_questions').values(row).execute();
      return toQuestion(row);
    },

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

function toQuestion(row: UnansweredQuestionsTable): UnansweredQuestion {
  return {
    id: row.id,
    workspaceId: row.workspace_id as WorkspaceId,
    text: row.text,
    normalized: row.normalized,
    count: row.count,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    groupKey: row.group_key,
    resolved: row.resolved === 1,
  };
}
