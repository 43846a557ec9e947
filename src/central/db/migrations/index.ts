import type { Migration, MigrationProvider } from 'kysely';
import { migration0001Initial } from './0001-initial';
import { migration0002WebhookRelay } from './0002-webhook-relay';
import { migration0003RelayNumberIndex } from './0003-relay-number-index';
import { migration0004UpdateReleases } from './0004-update-releases';

/** Every central migration, in order; listed statically like the core's. Names sort lexically. */
export const CENTRAL_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': migration0001Initial,
  '0002-webhook-relay': migration0002WebhookRelay,
  '0003-relay-number-index': migration0003RelayNumberIndex,
  '0004-update-releases': migration0004UpdateReleases,
};

export const CENTRAL_MIGRATION_NAMES: readonly string[] = Object.keys(CENTRAL_MIGRATIONS).sort();
export const CENTRAL_MIGRATION_TABLE = 'central_migration';

/** A provider that stops at `upTo` (inclusive): migration tests build a database at an older version. */
export function centralMigrationProvider(upTo?: string): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          CENTRAL_MIGRATION_NAMES.filter((n) => upTo === undefined || n <= upTo).map((n) => [
            n,
            CENTRAL_MIGRATIONS[n]!,
          ]),
        ),
      ),
  };
}
