import { sql, type Kysely, type Migration } from 'kysely';
import { createIndex, idAndWorkspace, requiredTime } from './columns/index';

/**
 * An FAQ gets several phrasings (how customers actually ask) besides its display question. Existing
 * FAQs keep working: each one's question becomes its first phrasing.
 */
export const migration0002FaqPhrasings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('faq_phrasings')
      .$call(idAndWorkspace)
      .addColumn('faq_id', 'text', (c) => c.notNull().references('faqs.id').onDelete('cascade'))
      .addColumn('text', 'text', (c) => c.notNull().check(sql`length(text) between 1 and 1000`))
      .addColumn('position', 'integer', (c) => c.notNull())
      .$call(requiredTime('created_at'))
      .execute();
    await createIndex(db, 'faq_phrasings_workspace_faq', 'faq_phrasings', [
      'workspace_id',
      'faq_id',
      'position',
    ]);
    await sql`insert into faq_phrasings (id, workspace_id, faq_id, text, position, created_at)
      select lower(hex(randomblob(16))), workspace_id, id, question, 0, created_at from faqs`.execute(db);
  },
};
