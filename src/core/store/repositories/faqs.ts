import type { Kysely, Selectable } from 'kysely';
import type { Faq } from '../../../shared/dto';
import type { WorkspaceId } from '../../../shared/types';
import type { IdGenerator } from '../../ids';
import type { Database, FaqsTable } from '../schema';

export interface FaqFields {
  question: string;
  answer: string;
  phrasings: string[];
  enabled: boolean;
}

export type FaqRepository = ReturnType<typeof createFaqRepository>;

/**
 * An FAQ and its phrasings are written together: call these inside `store.transaction` (the workspace
 * service does) so an FAQ never exists without the phrasings it was saved with.
 */
export function createFaqRepository(db: Kysely<Database>, newId: IdGenerator) {
  async function loadPhrasings(workspaceId: WorkspaceId, faqIds: string[]): Promise<Map<string, string[]>> {
    const byFaq = new Map<string, string[]>(faqIds.map((id) => [id, []]));
    if (faqIds.length === 0) return byFaq;
    const rows = await db
      .selectFrom('faq_phrasings')
      .select(['faq_id', 'text'])
      .where('workspace_id', '=', workspaceId)
      .where('faq_id', 'in', faqIds)
      .orderBy('faq_id')
      .orderBy('position')
      .execute();
    for (const row of rows) byFaq.get(row.faq_id)?.push(row.text);
    return byFaq;
  }

  async function writePhrasings(workspaceId: WorkspaceId, faqId: string, phrasings: string[], now: number) {
    await db
      .deleteFrom('faq_phrasings')
      .where('workspace_id', '=', workspaceId)
      .where('faq_id', '=', faqId)
      .execute();
    if (phrasings.length === 0) return;
    await db
      .insertInto('faq_phrasings')
      .values(
        phrasings.map((text, position) => ({
          id: newId(),
          workspace_id: workspaceId,
          faq_id: faqId,
          text,
          position,
          created_at: now,
        })),
      )
      .execute();
  }

  return {
    async create(workspaceId: WorkspaceId, id: string, fields: FaqFields, now: number): Promise<Faq> {
      await db
        .insertInto('faqs')
        .values({
          id,
          workspace_id: workspaceId,
          question: fields.question,
          answer: fields.answer,
          enabled: fields.enabled ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await writePhrasings(workspaceId, id, fields.phrasings, now);
      return { id, workspaceId, ...fields, createdAt: now, updatedAt: now };
    },

    async get(workspaceId: WorkspaceId, id: string): Promise<Faq | undefined> {
      const row = await db
        .selectFrom('faqs')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const phrasings = await loadPhrasings(workspaceId, [row.id]);
      return toFaq(row, phrasings.get(row.id) ?? []);
    },

    async list(workspaceId: WorkspaceId, options: { includeDisabled?: boolean } = {}): Promise<Faq[]> {
      let query = db.selectFrom('faqs').selectAll().where('workspace_id', '=', workspaceId);
      if (options.includeDisabled !== true) query = query.where('enabled', '=', 1);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      const phrasings = await loadPhrasings(
        workspaceId,
        rows.map((r) => r.id),
      );
      return rows.map((row) => toFaq(row, phrasings.get(row.id) ?? []));
    },

    async update(
      workspaceId: WorkspaceId,
      id: string,
      patch: Partial<FaqFields>,
      now: number,
    ): Promise<boolean> {
      const result = await db
        .updateTable('faqs')
        .set({
          ...(patch.question !== undefined && { question: patch.question }),
          ...(patch.answer !== undefined && { answer: patch.answer }),
          ...(patch.enabled !== undefined && { enabled: patch.enabled ? 1 : 0 }),
          updated_at: now,
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      if (patch.phrasings !== undefined) await writePhrasings(workspaceId, id, patch.phrasings, now);
      return true;
    },

    async delete(workspaceId: WorkspaceId, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('faqs')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toFaq(row: Selectable<FaqsTable>, phrasings: string[]): Faq {
  return {
    id: row.id,
    workspaceId: row.workspace_id as WorkspaceId,
    question: row.question,
    answer: row.answer,
    phrasings,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
