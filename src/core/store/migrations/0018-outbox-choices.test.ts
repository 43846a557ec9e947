import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeMigration, insertQueuedReply, insertShops } from './testing/previous-version';
import { createOutboxRepository } from '../repositories/outbox';
import type { E164, WorkspaceId } from '../../../shared/types';

describeMigration('0018-outbox-choices', (migration) => {
  it('lets an outbox row carry its options (old rows have none); text that is not JSON is refused', async () => {
    const store = await migration.upgradeFrom(async (db) => {
      await insertShops(db, 'wa');
      await insertQueuedReply(db);
    });
    const outbox = createOutboxRepository(store.db);
    const ws = 'wa' as WorkspaceId;
    expect((await outbox.get(ws, 'o1'))?.choices).toBeNull();
    await outbox.insertMany(
      ws,
      [
        {
          id: 'o2',
          businessNumber: '+2348090000001' as E164,
          chatId: 'c1',
          inboundMessageId: null,
          kind: 'faq',
          text: 'Do you mean 1) Delivery to Lekki or 2) Delivery days? Reply 1 or 2',
          choices: ['Delivery to Lekki?', 'Delivery days'],
        },
      ],
      2,
    );
    expect((await outbox.get(ws, 'o2'))?.choices).toEqual(['Delivery to Lekki?', 'Delivery days']);
    await expect(
      sql`update outbox set choices = 'not json' where id = 'o1'`.execute(store.db),
    ).rejects.toThrow(/CHECK/);
  });
});
