import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Store } from '../store/open-database';
import { createMessageRepository } from '../store/repositories/messages';

/** Test support: `count` customer messages in one transaction (`repeat`: longer texts, more pages). */
export async function insertTestMessages(
  store: Store,
  workspaceId: WorkspaceId,
  from: number,
  count: number,
  repeat = 1,
) {
  await store.transaction(async (trx) => {
    const repo = createMessageRepository(trx);
    for (let i = from; i < from + count; i++) {
      await repo.insert(
        workspaceId,
        {
          id: `m${i}`,
          businessNumber: '+2348090000001' as E164,
          providerMessageId: `P${i}`,
          chatId: 'chat',
          contactId: null,
          direction: 'in',
          author: 'contact',
          text: `How much be jollof rice plate number ${i}? `.repeat(repeat).trim(),
          status: 'received',
          providerTs: i,
        },
        i,
      );
    }
  });
}

/** Test support: a media file named by its content's SHA-256, as the media store names them. */
export function writeTestMedia(dataDir: string, content: string): string {
  const hash = createHash('sha256').update(content).digest('hex');
  const dir = join(dataDir, 'media', hash.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, hash), content);
  return `${hash.slice(0, 2)}/${hash}`;
}
