import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { InboundJournal } from '../store/inbound-journal';
import type { Store } from '../store/open-database';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import type { InboundMessage } from '../whatsapp/provider';
import type { StoredMessage } from './ingest';
import type { Incoming } from './route';

/**
 * Nothing lives only in the pipeline's memory. An inbound message is journaled the moment the provider
 * emits it (the provider has already acknowledged it to WhatsApp, so this is its only copy) and dropped
 * from the journal once ingest committed it; at start, what the journal still holds is ingested again,
 * messages stored but never decided are decided, and every number with unfinished outbox rows resumes.
 */
export interface Recovery {
  /** Journals a message just received; a failure is logged (the message is then only in memory). */
  journal(incoming: Incoming): void;
  /** The batch is committed (stored, deduplicated or kept as unroutable): its journal entries can go. */
  forget(batch: readonly Incoming[]): void;
  /** Messages a previous run received (and WhatsApp considers delivered) but never committed. */
  replayJournal(): void;
  /** Re-decides messages stored but not decided, and kicks the numbers with unfinished outbox rows. */
  recover(): Promise<void>;
}

const journalKey = (message: InboundMessage): string =>
  `${message.businessNumber}\u0000${message.providerMessageId}`;

export function createRecovery(deps: {
  store: Store;
  logger: Logger;
  journal?: InboundJournal | undefined;
  onIncoming: (incoming: Incoming) => void;
  onStored: (stored: StoredMessage) => void;
  kick: (workspaceId: WorkspaceId, number: E164) => void;
}): Recovery {
  const log = deps.logger;

  async function recoverWorkspace(workspaceId: WorkspaceId): Promise<void> {
    const messages = createPipelineMessageRepository(deps.store.db);
    for (const row of await messages.listUndecided(workspaceId, 5000)) {
      log
        .child({ workspaceId, contactId: row.contactId })
        .info(
          'message.recovered',
          `Message ${row.id} was stored but not decided before the last stop; deciding it now`,
          { messageId: row.id, chatId: row.chatId, number: row.businessNumber },
        );
      deps.onStored({
        id: row.id,
        workspaceId,
        businessNumber: row.businessNumber,
        chatId: row.chatId,
        contactId: row.contactId,
        providerMessageId: row.providerMessageId,
        message: {
          chatKind: (row.chatKind ?? 'direct') as InboundMessage['chatKind'],
          // Without text it may have been undecryptable (the row does not say): never answer a guess.
          kind: row.text === null ? 'undecryptable' : 'text',
          text: row.text,
          sentAt: row.providerTs,
        },
      });
    }
    const outbox = createOutboxRepository(deps.store.db);
    for (const number of await outbox.pendingNumbers(workspaceId)) deps.kick(workspaceId, number);
  }

  return {
    journal(incoming) {
      try {
        // Synchronously, in the tick the provider emitted it: from here a crash cannot lose it.
        deps.journal?.append(journalKey(incoming.message), incoming);
      } catch (error) {
        log.error(
          'journal.failed',
          'Could not journal an inbound message; it is only in memory until stored',
          {
            error,
            providerMessageId: incoming.message.providerMessageId,
          },
        );
      }
    },
    forget(batch) {
      try {
        deps.journal?.remove(batch.map((incoming) => journalKey(incoming.message)));
      } catch (error) {
        // Harmless: a leftover entry is ingested again at the next start and dropped as a duplicate.
        log.warn('journal.failed', 'Could not clear ingested messages from the inbound journal', { error });
      }
    },
    replayJournal() {
      const pending = deps.journal?.pending() ?? [];
      if (pending.length === 0) return;
      log.warn(
        'message.recovered',
        `${pending.length} message(s) received before the last stop were not yet stored; storing them now`,
        { count: pending.length },
      );
      for (const entry of pending) deps.onIncoming(entry.payload as Incoming);
    },
    async recover() {
      for (const ws of await createWorkspaceRepository(deps.store.db).listAll())
        await recoverWorkspace(ws.id);
    },
  };
}
