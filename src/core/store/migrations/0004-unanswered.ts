import { sql, type Kysely, type Migration } from 'kysely';
import { createIndex, flag, idAndWorkspace } from './columns/index';

/**
 * Questions the FAQ matcher abstained on, kept per workspace so the owner can turn them into phrasings
 * or new FAQs. One row per distinct normalised text ("Una dey open??" and "una dey open" are one row,
 * counted twice); `group_key` gathers similar rows (the FAQ matcher's features decide, at record time).
 */
export const migration0004Unanswered: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('unanswered_questions')
      .$call(idAndWorkspace)
      // The customer's words as first seen (WhatsApp allows 65,536 characters; a question is short).
      .addColumn('text', 'text', (c) => c.notNull().check(sql`length(text) between 1 and 2000`))
      .addColumn('normalized', 'text', (c) => c.notNull().check(sql`length(normalized) between 1 and 2000`))
      .addColumn('count', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(1)
          .check(sql`count >= 1`),
      )
      .addColumn('first_seen_at', 'integer', (c) => c.notNull())
      .addColumn('last_seen_at', 'integer', (c) => c.notNull())
      .addColumn('group_key', 'text', (c) => c.notNull())
      .$call(flag('resolved', 0))
      .addUniqueConstraint('unanswered_questions_workspace_normalized', ['workspace_id', 'normalized'])
      .execute();
    await createIndex(db, 'unanswered_questions_workspace_open', 'unanswered_questions', [
      'workspace_id',
      'resolved',
      'last_seen_at',
    ]);
    await createIndex(db, 'unanswered_questions_workspace_group', 'unanswered_questions', [
      'workspace_id',
      'group_key',
    ]);
  },
};
