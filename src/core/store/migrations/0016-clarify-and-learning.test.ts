import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeMigration, insertShops } from './testing/previous-version';
import { createConversationRepository } from '../repositories/conversations';
import type { WorkspaceId, E164 } from '../../../shared/types';

// In its own file (not migrations.test.ts, which only lists it) so parallel migrations do not collide.

describeMigration('0016-clarify-and-learning', (migration) => {
  it('keeps every chat with nothing pending; a clarification and learned rows are stored and go with the workspace', async () => {
    const store = await migration.upgradeFrom(async (db) => {
      await insertShops(db, 'wa', 'wb');
      await sql`insert into faqs (id, workspace_id, question, answer, enabled, created_at, updated_at)
        values ('f1', 'wa', 'Delivery days', 'Mon-Fri', 1, 1, 1)`.execute(db);
      await sql`insert into conversations (workspace_id, business_number, chat_id, first_seen_at, flood_count, waiting_since, updated_at)
        values ('wa', '+2348090000001', 'c1@s.whatsapp.net', 10, 2, 50, 60),
               ('wb', '+2348090000002', 'c1@s.whatsapp.net', 20, 0, null, 70)`.execute(db);
    });
    const repo = createConversationRepository(store.db);
    const a = await repo.get('wa' as WorkspaceId, '+2348090000001' as E164, 'c1@s.whatsapp.net');
    expect(a).toMatchObject({ firstSeenAt: 10, floodCount: 2, waiting: { since: 50 }, clarification: null });

    await repo.saveMany(
      'wa' as WorkspaceId,
      [{ ...a!, clarification: { faqIds: ['f1', 'f2'], askedAt: 100, expiresAt: 900 } }],
      100,
    );
    expect(
      (await repo.get('wa' as WorkspaceId, '+2348090000001' as E164, 'c1@s.whatsapp.net'))?.clarification,
    ).toEqual({
      faqIds: ['f1', 'f2'],
      askedAt: 100,
      expiresAt: 900,
    });
    // A damaged list reads as nothing pending rather than failing the chat's decisions.
    await sql`update conversations set clarify_faq_ids = 'not json' where workspace_id = 'wa'`.execute(
      store.db,
    );
    expect(
      (await repo.get('wa' as WorkspaceId, '+2348090000001' as E164, 'c1@s.whatsapp.net'))?.clarification,
    ).toBeNull();

    await sql`insert into bot_learned (id, workspace_id, faq_id, kind, text, chat_id, created_at)
      values ('l1', 'wa', 'f1', 'phrasing', 'when una dey deliver', 'c1@s.whatsapp.net', 5)`.execute(
      store.db,
    );
    await expect(
      sql`insert into bot_learned (id, workspace_id, faq_id, kind, text, created_at) values ('l2', 'wa', null, 'guess', 'x', 5)`.execute(
        store.db,
      ),
    ).rejects.toThrow(/CHECK/);
    await sql`insert into faq_answer_sends (workspace_id, faq_id, chat_id, business_number, outbox_id, created_at)
      values ('wa', 'f1', 'c1@s.whatsapp.net', '+2348090000001', 'o1', 5)`.execute(store.db);
    await expect(
      sql`insert into faq_answer_sends (workspace_id, faq_id, chat_id, business_number, outbox_id, created_at)
        values ('wa', 'f1', 'c1@s.whatsapp.net', '+2348090000001', 'o2', 6)`.execute(store.db),
    ).rejects.toThrow(/UNIQUE|PRIMARY/);
    // Removing the FAQ keeps what was learned (the week's count stays true); the workspace takes all.
    await sql`delete from faqs where id = 'f1'`.execute(store.db);
    expect(
      (await sql<{ faq_id: string | null }>`select faq_id from bot_learned`.execute(store.db)).rows,
    ).toEqual([{ faq_id: null }]);
    await sql`delete from workspaces where id = 'wa'`.execute(store.db);
    for (const table of ['bot_learned', 'faq_answer_sends', 'conversations']) {
      const n = await sql<{
        n: number;
      }>`select count(*) as n from ${sql.table(table)} where workspace_id = 'wa'`.execute(store.db);
      expect(n.rows[0]!.n, table).toBe(0);
    }
    await store.close();
  });
});
