import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect } from 'vitest';
import { tempDatabasePath } from '../../../testing/temp-files';
import { openDatabase, type Store } from '../../open-database';
import type { Database } from '../../schema';
import { MIGRATION_NAMES } from '../index';

/**
 * For one migration's own test file: a real database file at the version just before `name`, filled
 * with the rows the test writes in the old shape, then opened again at `name`. Pass `cleanup` to
 * `afterEach`: it closes what the test left open and deletes its folders (or pass the file's own
 * `cleanups`, emptied by its `afterEach`).
 */
export function migrationUnderTest(name: string, cleanups: (() => void)[] = []) {
  const before = MIGRATION_NAMES[MIGRATION_NAMES.indexOf(name) - 1]!;
  /** A new database file at the previous version with what `seed` writes; closed, ready to upgrade. */
  const previousVersion = async (seed: (db: Kysely<Database>) => Promise<void>): Promise<string> => {
    const path = tempDatabasePath(cleanups);
    const old = await openDatabase({ path, migrateTo: before });
    await seed(old.db);
    await old.close();
    return path;
  };
  /** The file at `path` migrated to `name`; closed after the test if the test does not close it. */
  const upgrade = async (path: string): Promise<Store> => {
    const store = await openDatabase({ path, migrateTo: name });
    cleanups.push(() => void store.close());
    return store;
  };
  return {
    before,
    cleanup: (): void => {
      while (cleanups.length > 0) cleanups.pop()!();
    },
    previousVersion,
    upgrade,
    /** `previousVersion(seed)` then `upgrade`: the database at `name`, checked to say so. */
    async upgradeFrom(seed: (db: Kysely<Database>) => Promise<void>): Promise<Store> {
      const store = await upgrade(await previousVersion(seed));
      expect(store.schemaVersion).toBe(name);
      return store;
    },
  };
}

export type MigrationUnderTest = ReturnType<typeof migrationUnderTest>;

/** A `describe` block named after the migration whose tests `body` registers, cleaned up after each. */
export function describeMigration(name: string, body: (migration: MigrationUnderTest) => void): void {
  describe(name, () => {
    const migration = migrationUnderTest(name);
    afterEach(migration.cleanup);
    body(migration);
  });
}

/** Workspaces in the old shape, `wa` named Shop A, `wb` Shop B and so on. */
export async function insertShops(db: Kysely<Database>, ...ids: string[]): Promise<void> {
  for (const id of ids) {
    const name = `Shop ${id.slice(1).toUpperCase()}`;
    await sql`insert into workspaces (id, name, default_country, bot_mode, tier, settings, created_at, updated_at)
      values (${id}, ${name}, 'NG', 'faq', 'free', '{}', 1, 1)`.execute(db);
  }
}

/** A queued FAQ reply `o1` of workspace `wa` ("We open at 8"), in the outbox's shape before it carried files. */
export async function insertQueuedReply(db: Kysely<Database>): Promise<void> {
  await sql`insert into outbox (id, workspace_id, business_number, chat_id, inbound_message_id, kind, text,
      status, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at, provider_message_id)
    values ('o1', 'wa', '+2348090000001', 'c1', null, 'faq', 'We open at 8', 'queued', 0, 1, null, 1, 1, null, null)`.execute(
    db,
  );
}
