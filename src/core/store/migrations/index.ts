import type { Migration, MigrationProvider } from 'kysely';
import { migration0001Initial } from './0001-initial';
import { migration0002FaqPhrasings } from './0002-faq-phrasings';
import { migration0003Pipeline } from './0003-pipeline';
import { migration0004Unanswered } from './0004-unanswered';

/**
 * Every migration, in order. Listed statically (not read from a folder) so the bundled desktop app
 * carries them. Names sort lexically, which is the order kysely applies them in.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': migration0001Initial,
  '0002-faq-phrasings': migration0002FaqPhrasings,
  '0003-pipeline': migration0003Pipeline,
  '0004-unanswered': migration0004Unanswered,
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();
export const LATEST_MIGRATION: string = MIGRATION_NAMES[MIGRATION_NAMES.length - 1] ?? '';

/** A provider that stops at `upTo` (inclusive): migration tests build a database at an older version. */
export function migrationProvider(upTo?: string): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          MIGRATION_NAMES.filter((n) => upTo === undefined || n <= upTo).map((n) => [n, MIGRATIONS[n]!]),
        ),
      ),
  };
}
