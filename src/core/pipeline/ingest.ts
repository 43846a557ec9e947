import type { WorkspaceId } from '../../shared/types';
import type { IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { PreparedTransactions } from '../store/prepared-transactions';
import { createMessageMediaRepository, type NewMessageMedia } from '../store/repositories/message-media';
import { createPipelineMessageRepository, type InboundRow } from '../store/repositories/pipeline-messages';
import type { InboundMessage } from '../whatsapp/provider';
import type { RoutedMessage } from './route';
import type { DecideMessage } from './types';

/** A message that is stored and waits for its decision. */
export interface StoredMessage {
  id: string;
  workspaceId: WorkspaceId;
  businessNumber: InboundRow['businessNumber'];
  chatId: string;
  contactId: string | null;
  providerMessageId: string;
  message: DecideMessage;
  /** The message has a file waiting to be downloaded (message_media state 'pending'). */
  fileToFetch?: true;
}

export interface Ingest {
  /** Writes a batch in one transaction; returns only the messages seen for the first time. */
  ingest(batch: readonly RoutedMessage[]): Promise<StoredMessage[]>;
}

interface IngestDeps {
  preparedTx: PreparedTransactions;
  logger: Logger;
  newId: IdGenerator;
  now: () => number;
}

type Pending = { row: InboundRow; routed: RoutedMessage };

/**
 * The first write, before anything else happens to a message: stored once (unique on workspace,
 * receiving number and provider id) with its sender as a contact. A redelivery (after a reconnect,
 * or the same message twice in one batch) is dropped and logged, never decided twice.
 */
export function createIngest(deps: IngestDeps): Ingest {
  return {
    async ingest(batch) {
      if (batch.length === 0) return [];
      const outcomes = await write(deps, byWorkspace(batch, deps.newId));
      const stored: StoredMessage[] = [];
      for (const { outcome, row, routed } of outcomes) {
        const m = routed.message;
        const entryLog = deps.logger.child({ workspaceId: routed.workspaceId, contactId: outcome.contactId });
        if (!outcome.inserted) {
          entryLog.info('message.deduplicated', `Redelivered message ${m.providerMessageId} dropped`, {
            number: m.businessNumber,
            chatId: m.chatId,
            providerMessageId: m.providerMessageId,
            offline: m.offline,
          });
          continue;
        }
        entryLog.info('message.received', `Message from ${m.chatId} stored`, {
          messageId: row.id,
          number: m.businessNumber,
          chatId: m.chatId,
          providerMessageId: m.providerMessageId,
          kind: m.kind,
          chatKind: m.chatKind,
          offline: m.offline,
        });
        stored.push(storedMessage(row.id, routed, outcome.contactId));
      }
      return stored;
    },
  };
}

/** The batch's rows to write, per workspace, each with a new id. */
function byWorkspace(batch: readonly RoutedMessage[], newId: IdGenerator): Map<WorkspaceId, Pending[]> {
  const groups = new Map<WorkspaceId, Pending[]>();
  for (const routed of batch) {
    const m = routed.message;
    let group = groups.get(routed.workspaceId);
    if (group === undefined) groups.set(routed.workspaceId, (group = []));
    group.push({
      routed,
      row: {
        id: newId(),
        businessNumber: m.businessNumber,
        providerMessageId: m.providerMessageId,
        chatId: m.chatId,
        chatKind: m.chatKind,
        sender: { phone: m.sender.phone, waId: m.sender.waId, name: m.sender.name },
        text: m.text,
        providerTs: m.timestamp,
      },
    });
  }
  return groups;
}

/** One transaction for the batch: the messages (deduplicated), their contacts and media rows. */
function write(deps: IngestDeps, groups: Map<WorkspaceId, Pending[]>) {
  const now = deps.now();
  return deps.preparedTx.transaction(async (trx) => {
    const repo = createPipelineMessageRepository(trx);
    const all = [];
    for (const [workspaceId, group] of groups) {
      const results = await repo.ingest(
        workspaceId,
        group.map((g) => g.row),
        deps.newId,
        now,
      );
      all.push(...results.map((outcome, i) => ({ outcome, ...group[i]! })));
      const media = results.flatMap((outcome, i) =>
        outcome.inserted ? mediaRow(group[i]!.row.id, group[i]!.routed.message) : [],
      );
      await createMessageMediaRepository(trx).insertMany(workspaceId, media, now);
    }
    return all;
  });
}

function storedMessage(id: string, routed: RoutedMessage, contactId: string | null): StoredMessage {
  const m = routed.message;
  return {
    id,
    workspaceId: routed.workspaceId,
    businessNumber: m.businessNumber,
    chatId: m.chatId,
    contactId,
    providerMessageId: m.providerMessageId,
    ...(m.media?.ref != null && { fileToFetch: true as const }),
    message: {
      chatKind: m.chatKind,
      kind: m.kind,
      text: m.text,
      sentAt: m.timestamp,
      replyBy: m.replyWindowMs === undefined ? null : m.timestamp + m.replyWindowMs,
    },
  };
}

/** The message_media row of a message that carries media: the file pending, or none to fetch. */
function mediaRow(messageId: string, m: InboundMessage): NewMessageMedia[] {
  const media = m.media;
  if (media === undefined) return [];
  const extra = media.location ?? media.contact;
  return [
    {
      messageId,
      kind: media.kind,
      mime: media.mime,
      size: media.size,
      fileName: media.fileName,
      caption: media.caption,
      durationSeconds: media.durationSeconds,
      thumbnail: media.thumbnail === null ? null : Buffer.from(media.thumbnail, 'base64'),
      extra: extra === undefined ? null : JSON.stringify(extra),
      ref: media.ref,
      state: media.ref === null ? 'none' : 'pending',
    },
  ];
}
