import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A clarifying question's options on its `outbox` row (a JSON array of the offered questions; null on
 * every other row), so that a question still queued at a restart goes out as the same list on a Cloud
 * API number. The row's `text` stays the numbered question: what Baileys sends, and the fallback.
 */
export const migration0018OutboxChoices: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table outbox add column choices text
      check (choices is null or json_valid(choices))`.execute(db);
  },
};
