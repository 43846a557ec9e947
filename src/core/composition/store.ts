import { join } from 'node:path';
import type { Clock } from '../ids';
import { securePrivateFolder } from '../files/private-folder';
import type { Logger } from '../log/logger';
import { createFileKeySecretBox } from '../secrets/file-key-secret-box';
import type { SecretBox } from '../secrets/secret-box';
import { applyPendingRestore } from '../backup/restore-staging';
import { createEncryptedUpgradeCopier } from '../backup/upgrade-copy';
import { openInboundJournal, type InboundJournal } from '../store/inbound-journal';
import { openDatabase } from '../store/open-database';
import { repairSplitChats } from '../store/repositories/lid-mappings';

export const DATABASE_FILE = 'switchboard.db';
export const INBOUND_JOURNAL_FILE = 'inbound-journal.db';

/**
 * The data folder made private, a staged restore put in place while the database is still closed,
 * the secret box, and the database opened (migrated, an encrypted copy kept before an upgrade).
 */
export async function openCoreStore(options: {
  dataDir: string;
  secrets?: SecretBox | undefined;
  durability?: 'full' | 'normal' | undefined;
}) {
  // Customers' messages, WhatsApp session keys and tokens live here: the owner's eyes only (0700/0600).
  const folder = securePrivateFolder(options.dataDir);
  const restored = applyPendingRestore(options.dataDir);
  const secrets = options.secrets ?? createFileKeySecretBox({ dataDir: options.dataDir });
  const store = await openDatabase({
    path: join(options.dataDir, DATABASE_FILE),
    upgradeCopier: createEncryptedUpgradeCopier(secrets),
    ...(options.durability !== undefined && { durability: options.durability }),
  });
  return { folder, restored, secrets, store };
}

type OpenedStore = Awaited<ReturnType<typeof openCoreStore>>;

/** Logs what opening found, then repairs what must be whole before anything reads a chat. */
export async function reportStoreOpened(
  opened: OpenedStore,
  dataDir: string,
  logger: Logger,
  clock: Clock,
): Promise<void> {
  const { folder, store } = opened;
  if (folder.repaired.length > 0) {
    logger.warn(
      'store.permissions_repaired',
      `Made ${folder.repaired.length} data file(s) private to this user`,
      {
        path: dataDir,
        repaired: folder.repaired.slice(0, 50),
      },
    );
  }
  if (folder.unsupported !== null) {
    logger.info('store.permissions_unchecked', folder.unsupported, { path: dataDir });
  }
  logger.info('store.opened', `Database opened at schema ${store.schemaVersion}`, {
    path: store.path,
    schema: store.schemaVersion,
  });
  // One customer written by phone number and by LID is one chat.
  for (const [workspaceId, chats] of await repairSplitChats(store, clock.now())) {
    logger
      .child({ workspaceId })
      .info('lid.chats_merged', `${chats} chat(s) kept under a LID merged into the customer's phone chat`, {
        chats,
        at: 'start',
      });
  }
}

/** The inbound journal opened, and the files just created made private. */
export function openJournal(dataDir: string, logger: Logger): InboundJournal {
  const journal = openInboundJournal(join(dataDir, INBOUND_JOURNAL_FILE));
  // The database, its WAL and the journal were just created with the process's umask when new.
  const created = securePrivateFolder(dataDir).repaired;
  if (created.length > 0) {
    logger.debug('store.permissions_set', `Made ${created.length} new data file(s) private to this user`, {
      files: created.slice(0, 50),
    });
  }
  return journal;
}
