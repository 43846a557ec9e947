import type { Kysely, Selectable } from 'kysely';
import type { Faq } from '../../../shared/dto';
import type { WorkspaceId } from '../../../shared/types';
import type { IdGenerator } from '../../ids';
import type { Database, FaqsTable } from '../schema';
import { scopedTable } from './scoped-table';

export interface FaqFields {
  question: string;
  answer: string;
  phrasings: string[];
  enabled: boolean;
}

export type FaqRepository = ReturnType<typeof createFaqRepository>;

async function loadPhrasings(
  db: Kysely<Database>,
  workspaceId: WorkspaceId,
  faqIds: string[],
): Promise<Map<string, string[]>> {
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

async function writePhrasings(
  db: Kysely<Database>,
  newId: IdGenerator,
  at: { workspaceId: WorkspaceId; faqId: string; now: number },
  phrasings: string[],
): Promise<void> {
  await db
    .deleteFrom('faq_phrasings')
    .where('workspace_id', '=', at.workspaceId)
    .where('faq_id', '=', at.faqId)
    .execute();
  if (phrasings.length === 0) return;
  await db
    .insertInto('faq_phrasings')
    .values(
      phrasings.map((text, position) => ({
        id: newId(),
        workspace_id: at.workspaceId,
        faq_id: at.faqId,
        text,
        position,
        created_at: at.now,
      })),
    )
    .execute();
}

/** Reading FAQs with their phrasings, in the order they were written. */
function faqReads(db: Kysely<Database>) {
  const faqs = scopedTable(db, 'faqs');
  return {
    async get(workspaceId: WorkspaceId, id: string): Promise<Faq | undefined> {
      const row = await faqs.get(workspaceId, id);
      if (row === undefined) return undefined;
      const phrasings = await loadPhrasings(db, workspaceId, [row.id]);
      return toFaq(row, phrasings.get(row.id) ?? []);
    },

    async list(workspaceId: WorkspaceId, options: { includeDisabled?: boolean } = {}): Promise<Faq[]> {
      let query = db.selectFrom('faqs').selectAll().where('workspace_id', '=', workspaceId);
      if (options.includeDisabled !== true) query = query.where('enabled', '=', 1);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      const phrasings = await loadPhrasings(
        db,
        workspaceId,
        rows.map((r) => r.id),
      );
      return rows.map((row) => toFaq(row, phrasings.get(row.id) ?? []));
    },
  };
}

/** Writing an FAQ and its phrasings together. */
function faqWrites(db: Kysely<Database>, newId: IdGenerator) {
  const faqs = scopedTable(db, 'faqs');
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
      await writePhrasings(db, newId, { workspaceId, faqId: id, now }, fields.phrasings);
      return { id, workspaceId, ...fields, createdAt: now, updatedAt: now };
    },

    async update(
      workspaceId: WorkspaceId,
      id: string,
      patch: Partial<FaqFields>,
      now: number,
    ): Promise<boolean> {
      const updated = await faqs.update(workspaceId, id, {
        ...(patch.question !== undefined && { question: patch.question }),
        ...(patch.answer !== undefined && { answer: patch.answer }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled ? 1 : 0 }),
        updated_at: now,
      });
      if (!updated) return false;
      if (patch.phrasings !== undefined)
        await writePhrasings(db, newId, { workspaceId, faqId: id, now }, patch.phrasings);
      return true;
    },

    delete: (workspaceId: WorkspaceId, id: string): Promise<boolean> => faqs.remove(workspaceId, id),
  };
}

/**
 * An FAQ and its phrasings are written together: call these inside `store.transaction` (the workspace
 * service does) so an FAQ never exists without the phrasings it was saved with.
 */
export function createFaqRepository(db: Kysely<Database>, newId: IdGenerator) {
  return { ...faqWrites(db, newId), ...faqReads(db) };
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
