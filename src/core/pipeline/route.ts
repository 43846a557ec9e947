import type { E164, WorkspaceId } from '../../shared/types';
import type { IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createNumberDirectory } from '../store/repositories/phone-numbers';
import { createUnroutableMessageStore } from '../store/repositories/unroutable-message-store';
import type { InboundMessage } from '../whatsapp/provider';
import { unroutableRow } from '../whatsapp/unroutable-row-of-inbound';

export interface Incoming {
  message: InboundMessage;
  /** The workspace of the connection that delivered it; the number directory has the final say. */
  connectionWorkspaceId: WorkspaceId | null;
}

export interface RoutedMessage {
  workspaceId: WorkspaceId;
  message: InboundMessage;
}

export interface Router {
  /** Splits a batch into messages with a workspace and keeps (and logs) those without one. */
  route(batch: readonly Incoming[]): Promise<RoutedMessage[]>;
}

/**
 * Route by the receiving number (E.164): the number directory says which workspace owns it. A number
 * nobody owns (removed while its socket still delivered) has no settings to answer with, so its
 * messages are stored in `unroutable_messages` and logged, never answered.
 */
export function createRouter(deps: {
  store: Store;
  logger: Logger;
  newId: IdGenerator;
  now: () => number;
}): Router {
  const directory = createNumberDirectory(deps.store.db);
  const unroutableStore = createUnroutableMessageStore(deps.store.db);
  const log = deps.logger;

  return {
    async route(batch) {
      const owners = new Map<E164, Awaited<ReturnType<typeof directory.ownerOf>>>();
      for (const { message } of batch) {
        if (!owners.has(message.businessNumber)) {
          owners.set(message.businessNumber, await directory.ownerOf(message.businessNumber));
        }
      }
      const routed: RoutedMessage[] = [];
      const unroutable: InboundMessage[] = [];
      for (const { message, connectionWorkspaceId } of batch) {
        const owner = owners.get(message.businessNumber);
        if (owner === undefined) {
          unroutable.push(message);
          continue;
        }
        log.debug('message.routed', `${message.businessNumber} -> workspace ${owner.workspaceId}`, {
          workspaceId: owner.workspaceId,
          number: message.businessNumber,
          phoneNumberId: owner.phoneNumberId,
          providerMessageId: message.providerMessageId,
          why: 'number-directory',
          ...(connectionWorkspaceId !== null &&
            connectionWorkspaceId !== owner.workspaceId && { connectionWorkspaceId }),
        });
        routed.push({ workspaceId: owner.workspaceId, message });
      }
      if (unroutable.length > 0) await keepUnroutable(unroutable);
      return routed;
    },
  };

  async function keepUnroutable(messages: InboundMessage[]): Promise<void> {
    const now = deps.now();
    const rows = messages.map((m) => unroutableRow(m, deps.newId(), now));
    const inserted = await unroutableStore.insertMany(rows);
    rows.forEach((row, i) => {
      const m = messages[i]!;
      const meta = {
        id: row.id,
        number: m.businessNumber,
        chatId: m.chatId,
        providerMessageId: m.providerMessageId,
        why: 'no workspace owns this number',
      };
      if (inserted.has(row.id)) {
        log.warn(
          'message.unroutable',
          `Message to ${m.businessNumber} kept unanswered: no workspace owns it`,
          meta,
        );
      } else {
        log.info(
          'message.deduplicated',
          `Redelivered unroutable message ${m.providerMessageId} dropped`,
          meta,
        );
      }
    });
  }
}
