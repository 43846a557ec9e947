// A shop's writes as one process, for the power-cut test: customer messages (committed in transactions,
// each acknowledged on stdout as `ACK <total>` once committed), media files (written under a temporary
// name, fsynced, then renamed to their content hash), and backups, all in a loop until the test kills
// the process with SIGKILL. Args: <dataDir> <seed>. Bundled by the test (it starts hundreds of times).
import { randomBytes, createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createBackupService } from '../../src/core/backup/backup-service';
import { createLogger } from '../../src/core/log/logger';
import { createFileKeySecretBox } from '../../src/core/secrets/file-key-secret-box';
import { openDatabase } from '../../src/core/store/open-database';
import { createMessageRepository } from '../../src/core/store/repositories/messages';
import { createWorkspaceRepository } from '../../src/core/store/repositories/workspaces';
import { DEFAULT_WORKSPACE_SETTINGS } from '../../src/shared/settings';
import type { E164, WorkspaceId } from '../../src/shared/types';

const [dataDir, seed] = process.argv.slice(2) as [string, string];
const WS = 'ws-shop' as WorkspaceId;
const store = await openDatabase({ path: join(dataDir, 'switchboard.db') });
const workspaces = createWorkspaceRepository(store.db);
if ((await workspaces.get(WS)) === undefined) {
  await workspaces.insert({
    id: WS,
    name: 'Mama Put',
    defaultCountry: 'NG',
    botMode: 'faq',
    tier: 'free',
    settings: DEFAULT_WORKSPACE_SETTINGS,
    createdAt: 1,
    updatedAt: 1,
  });
}
const backups = createBackupService({
  dataDir,
  store,
  secrets: createFileKeySecretBox({ dataDir }),
  logger: createLogger({ sinks: [] }),
  now: () => Date.now(),
});
let total = Number(
  (
    await store.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);
process.stdout.write('READY\n');

function writeMedia(): void {
  const bytes = randomBytes(20_000 + Math.floor(Math.random() * 200_000));
  const hash = createHash('sha256').update(bytes).digest('hex');
  const dir = join(dataDir, 'media', hash.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${hash}.tmp`);
  const fd = openSync(temp, 'w');
  // In pieces, so a kill can land half-way through the file.
  for (let at = 0; at < bytes.length; at += 16_384) writeSync(fd, bytes.subarray(at, at + 16_384));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, join(dir, hash));
}

for (let round = 0; ; round++) {
  await store.transaction(async (trx) => {
    const repo = createMessageRepository(trx);
    for (let k = 0; k < 20; k++) {
      const id = `${seed}-${round}-${k}`;
      await repo.insert(
        WS,
        {
          id,
          businessNumber: '+2348090000001' as E164,
          providerMessageId: id,
          chatId: `chat-${k % 5}`,
          contactId: null,
          direction: 'in',
          author: 'contact',
          text: `Customer message ${id}: how much be the jollof? `.repeat(3),
          status: 'received',
          providerTs: round,
        },
        Date.now(),
      );
    }
  });
  total += 20;
  process.stdout.write(`ACK ${total}\n`);
  if (round % 2 === 0) writeMedia();
  if (round % 3 === 1) {
    await backups.create('daily');
    process.stdout.write('BACKUP\n');
  }
}
