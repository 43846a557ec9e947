import type { Faq } from '../../../shared/dto';
import type { WorkspaceId } from '../../../shared/types';
import { SwitchboardError } from '../../errors';
import type { Clock, IdGenerator } from '../../ids';
import type { Logger } from '../../log/logger';
import type { Store } from '../../store/open-database';
import { z } from 'zod';
import type { FaqImportResult } from '../../../shared/contract';
import { userText } from '../../../shared/schemas';
import { createLearningRepository } from '../../store/repositories/learning';
import { createUnansweredRepository } from '../../store/repositories/unanswered-questions';
import { createFaqRepository, type FaqFields } from '../../store/repositories/faqs';
import { faqsToCsv, readFaqCsv } from './faq-csv';

export interface FaqServiceOptions {
  store: Store;
  logger: Logger;
  clock: Clock;
  newId: IdGenerator;
  /** Throws NOT_FOUND for a workspace that does not exist. */
  requireWorkspace: (workspaceId: WorkspaceId) => Promise<unknown>;
}

export type FaqService = ReturnType<typeof createFaqService>;

/**
 * The owner's FAQs: an FAQ and its phrasings are written in one transaction, phrasings are tidied
 * (blank, repeated and same-as-the-question ones dropped), and every change is logged. Inputs arrive
 * already checked by the contract's schemas.
 */
export function createFaqService(options: FaqServiceOptions) {
  const { store, logger, clock, newId } = options;
  const repo = createFaqRepository(store.db, newId);

  async function mustGet(workspaceId: WorkspaceId, faqId: string): Promise<Faq> {
    const faq = await repo.get(workspaceId, faqId);
    if (faq === undefined) {
      throw new SwitchboardError('NOT_FOUND', 'That FAQ does not exist (it may have been deleted).', {
        faqId,
      });
    }
    return faq;
  }

  return {
    async list(workspaceId: WorkspaceId, filter: { search?: string; includeDisabled?: boolean } = {}) {
      await options.requireWorkspace(workspaceId);
      const all = await repo.list(workspaceId, { includeDisabled: filter.includeDisabled ?? true });
      const needle = filter.search?.trim().toLocaleLowerCase() ?? '';
      if (needle === '') return all;
      return all.filter((faq) =>
        [faq.question, faq.answer, ...faq.phrasings].some((text) =>
          text.toLocaleLowerCase().includes(needle),
        ),
      );
    },

    async create(workspaceId: WorkspaceId, fields: FaqFields): Promise<Faq> {
      await options.requireWorkspace(workspaceId);
      const tidy = { ...fields, phrasings: tidyPhrasings(fields.question, fields.phrasings) };
      const id = newId();
      const faq = await store.transaction((trx) =>
        createFaqRepository(trx, newId).create(workspaceId, id, tidy, clock.now()),
      );
      // The question stays out of the event (it may be a customer's words, from Unanswered, and events
      // reach the central server whatever "Share message texts" says); the log shows it by its id.
      logger.child({ workspaceId }).info('faq.created', 'FAQ added', {
        faqId: id,
        phrasings: faq.phrasings.length,
        enabled: faq.enabled,
      });
      return faq;
    },

    async update(workspaceId: WorkspaceId, faqId: string, patch: Partial<FaqFields>): Promise<Faq> {
      const before = await mustGet(workspaceId, faqId);
      const question = patch.question ?? before.question;
      const tidy: Partial<FaqFields> = {
        ...patch,
        ...(patch.phrasings !== undefined && { phrasings: tidyPhrasings(question, patch.phrasings) }),
      };
      const updated = await store.transaction((trx) =>
        createFaqRepository(trx, newId).update(workspaceId, faqId, tidy, clock.now()),
      );
      if (!updated) return mustGet(workspaceId, faqId); // deleted meanwhile: NOT_FOUND
      logger.child({ workspaceId }).info('faq.updated', `FAQ changed: ${Object.keys(patch).join(', ')}`, {
        faqId,
        changed: Object.keys(patch),
      });
      return mustGet(workspaceId, faqId);
    },

    async exportCsv(workspaceId: WorkspaceId): Promise<string> {
      await options.requireWorkspace(workspaceId);
      return faqsToCsv(await repo.list(workspaceId, { includeDisabled: true }));
    },

    /**
     * Imports a CSV: a row whose question matches an existing FAQ (ignoring case and spacing) updates
     * it, any other creates one. Broken rows are reported and skipped; the good rows are stored in ONE
     * transaction, `chunk` rows at a time with `onProgress` after each chunk.
     */
    async importCsv(
      workspaceId: WorkspaceId,
      csv: string,
      onProgress?: (done: number, total: number) => void,
      chunk = IMPORT_CHUNK,
    ): Promise<FaqImportResult> {
      await options.requireWorkspace(workspaceId);
      const read = readFaqCsv(csv);
      const errors = [...read.errors];
      const good: (FaqFields & { line: number })[] = [];
      const seen = new Map<string, number>();
      for (const row of read.faqs) {
        const checked = csvRowSchema.safeParse(row);
        if (!checked.success) {
          errors.push({ line: row.line, message: checked.error.issues.map((i) => i.message).join('; ') });
          continue;
        }
        const key = questionKey(checked.data.question);
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          errors.push({ line: row.line, message: `the same question as line ${earlier}` });
          continue;
        }
        seen.set(key, row.line);
        const fields = { ...checked.data, line: row.line };
        good.push({ ...fields, phrasings: tidyPhrasings(fields.question, fields.phrasings) });
      }
      errors.sort((a, b) => a.line - b.line);
      let created = 0;
      let updated = 0;
      if (good.length > 0) {
        const now = clock.now();
        await store.transaction(async (trx) => {
          const faqs = createFaqRepository(trx, newId);
          const existing = new Map(
            (await faqs.list(workspaceId, { includeDisabled: true })).map((f) => [
              questionKey(f.question),
              f,
            ]),
          );
          for (let start = 0; start < good.length; start += chunk) {
            for (const { line: _line, ...fields } of good.slice(start, start + chunk)) {
              const match = existing.get(questionKey(fields.question));
              if (match === undefined) {
                await faqs.create(workspaceId, newId(), fields, now);
                created++;
              } else {
                await faqs.update(workspaceId, match.id, fields, now);
                updated++;
              }
            }
            onProgress?.(Math.min(start + chunk, good.length), good.length);
          }
        });
      } else {
        onProgress?.(0, 0);
      }
      logger
        .child({ workspaceId })
        .info(
          'faq.imported',
          `FAQ import: ${created} added, ${updated} changed, ${errors.length} rows skipped`,
          {
            created,
            updated,
            skipped: errors.length,
          },
        );
      return { created, updated, errors };
    },

    /**
     * Handles a group of unanswered questions in one transaction: its texts become phrasings of an
     * FAQ (or of a new one), or it is dismissed; then the group is marked resolved.
     */
    async resolveUnanswered(
      workspaceId: WorkspaceId,
      ids: readonly string[],
      action:
        | { type: 'add-phrasing'; faqId: string }
        | { type: 'new-faq'; question: string; answer: string }
        | { type: 'dismiss' },
    ): Promise<{ resolved: number; faqId: string | null }> {
      await options.requireWorkspace(workspaceId);
      const wanted = new Set(ids);
      const texts = (await createUnansweredRepository(store.db, newId).listGroups(workspaceId))
        .flatMap((g) => g.questions)
        .filter((q) => wanted.has(q.id))
        .map((q) => q.text.slice(0, 300));
      if (texts.length === 0) {
        throw new SwitchboardError(
          'NOT_FOUND',
          'Those questions were already handled (or never asked here).',
          {
            ids: ids.length,
          },
        );
      }
      const now = clock.now();
      const result = await store.transaction(async (trx) => {
        const faqs = createFaqRepository(trx, newId);
        let faqId: string | null = null;
        if (action.type === 'add-phrasing') {
          const faq = await faqs.get(workspaceId, action.faqId);
          if (faq === undefined) {
            throw new SwitchboardError('NOT_FOUND', 'That FAQ does not exist (it may have been deleted).', {
              faqId: action.faqId,
            });
          }
          const phrasings = tidyPhrasings(faq.question, [...faq.phrasings, ...texts]).slice(0, 100);
          await faqs.update(workspaceId, faq.id, { phrasings }, now);
          faqId = faq.id;
        } else if (action.type === 'new-faq') {
          faqId = newId();
          await faqs.create(
            workspaceId,
            faqId,
            {
              question: action.question,
              answer: action.answer,
              phrasings: tidyPhrasings(action.question, texts).slice(0, 100),
              enabled: true,
            },
            now,
          );
        }
        // For Home's "what the bot learned this week".
        if (faqId !== null) {
          await createLearningRepository(trx, newId).record(
            workspaceId,
            action.type === 'new-faq'
              ? [{ faqId, kind: 'faq', text: action.question, chatId: null }]
              : texts.map((text) => ({ faqId, kind: 'phrasing' as const, text, chatId: null })),
            now,
          );
        }
        const resolved = await createUnansweredRepository(trx, newId).resolve(workspaceId, [...wanted]);
        return { resolved, faqId };
      });
      logger
        .child({ workspaceId })
        .info(
          'bot.unanswered_resolved',
          `${result.resolved} unanswered question(s) ${action.type === 'dismiss' ? 'dismissed' : 'added to an FAQ'}`,
          {
            action: action.type,
            resolved: result.resolved,
            faqId: result.faqId,
          },
        );
      return result;
    },

    async delete(workspaceId: WorkspaceId, faqId: string): Promise<void> {
      const faq = await mustGet(workspaceId, faqId);
      await repo.delete(workspaceId, faqId);
      logger
        .child({ workspaceId })
        .info('faq.deleted', `FAQ deleted (it had ${faq.phrasings.length} phrasing(s))`, { faqId });
    },
  };
}

const IMPORT_CHUNK = 50;

const csvRowSchema = z.object({
  question: userText('Question', 300),
  answer: userText('Answer', 4000),
  phrasings: z.array(userText('Phrasing', 300)).max(100, 'at most 100 phrasings per FAQ'),
  enabled: z.boolean(),
});

const questionKey = (text: string) => text.trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** Keeps the owner's order; drops blanks, repeats (ignoring case and spacing) and copies of the question. */
export function tidyPhrasings(question: string, phrasings: readonly string[]): string[] {
  const key = (text: string) => text.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  const seen = new Set([key(question)]);
  const result: string[] = [];
  for (const phrasing of phrasings) {
    const text = phrasing.trim();
    const k = key(text);
    if (k === '' || seen.has(k)) continue;
    seen.add(k);
    result.push(text);
  }
  return result;
}
