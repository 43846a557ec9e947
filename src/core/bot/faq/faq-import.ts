import type { FaqImportResult } from '../../../shared/contract';
import { userText } from '../../../shared/schemas';
import type { WorkspaceId } from '../../../shared/types';
import { z } from 'zod';
import { createFaqRepository, type FaqFields } from '../../store/repositories/faqs';
import { readFaqCsv } from './faq-csv';
import { tidyPhrasings } from './faq-phrasings';
import type { FaqServiceOptions } from './faq-service-options';

const IMPORT_CHUNK = 50;

const csvRowSchema = z.object({
  question: userText('Question', 300),
  answer: userText('Answer', 4000),
  phrasings: z.array(userText('Phrasing', 300)).max(100, 'at most 100 phrasings per FAQ'),
  enabled: z.boolean(),
});

const questionKey = (text: string) => text.trim().replace(/\s+/g, ' ').toLocaleLowerCase();

type ImportedRow = FaqFields & { line: number };

/**
 * Imports a CSV: a row whose question matches an existing FAQ (ignoring case and spacing) updates
 * it, any other creates one. Broken rows are reported and skipped; the good rows are stored in ONE
 * transaction, `chunk` rows at a time with `onProgress` after each chunk.
 */
export async function importFaqCsv(
  options: FaqServiceOptions,
  workspaceId: WorkspaceId,
  csv: string,
  onProgress?: (done: number, total: number) => void,
  chunk = IMPORT_CHUNK,
): Promise<FaqImportResult> {
  const { logger } = options;
  await options.requireWorkspace(workspaceId);
  const { good, errors } = checkRows(csv);
  const { created, updated } = await storeRows(options, workspaceId, good, onProgress, chunk);
  logger
    .child({ workspaceId })
    .info('faq.imported', `FAQ import: ${created} added, ${updated} changed, ${errors.length} rows skipped`, {
      created,
      updated,
      skipped: errors.length,
    });
  return { created, updated, errors };
}

/** The rows that pass the contract's checks (each question once), and why the others do not. */
function checkRows(csv: string): { good: ImportedRow[]; errors: FaqImportResult['errors'] } {
  const read = readFaqCsv(csv);
  const errors = [...read.errors];
  const good: ImportedRow[] = [];
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
  return { good, errors };
}

/** The good rows in one transaction: a known question updates its FAQ, a new one creates one. */
async function storeRows(
  options: FaqServiceOptions,
  workspaceId: WorkspaceId,
  good: readonly ImportedRow[],
  onProgress: ((done: number, total: number) => void) | undefined,
  chunk: number,
): Promise<{ created: number; updated: number }> {
  const { store, clock, newId } = options;
  let created = 0;
  let updated = 0;
  if (good.length > 0) {
    const now = clock.now();
    await store.transaction(async (trx) => {
      const faqs = createFaqRepository(trx, newId);
      const existing = new Map(
        (await faqs.list(workspaceId, { includeDisabled: true })).map((f) => [questionKey(f.question), f]),
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
  return { created, updated };
}
