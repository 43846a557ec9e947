import type { WorkspaceSettings } from '../../shared/settings';
import { createOutboxRepository, type PendingOutboxRow } from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import type { OutboundMedia, WhatsAppProvider } from '../whatsapp/provider';
import { typingDelayMs } from './pacing';
import { errorText } from './send-errors';
import { mediaOf, recordFile, sendFile, sendWords } from './send-content';
import { recordSendFailure } from './send-failure';
import type { SenderContext } from './sender-context';

/** Sends one outbox row; false when the number turned out not to be connected. */
export type SendAttempt = (
  row: PendingOutboxRow,
  provider: WhatsAppProvider,
  settings: WorkspaceSettings,
) => Promise<boolean>;

/**
 * One attempt at a row, as a person would: mark the customer's message read, show "typing...", claim
 * the row (from here a crash leaves it 'sending' and it goes again with the same id), send, record.
 */
export function createSendAttempt(c: SenderContext): SendAttempt {
  /** The last inbound message marked read per chat: a greeting, away and answer to one message read it once. */
  const lastRead = new Map<string, string>();

  /** Read receipts and typing are courtesy: their failure is logged, never blocks the reply. */
  async function cosmetic(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      c.log.debug('outbox.presence-failed', `${what} failed: ${errorText(error)}`, { what });
    }
  }

  async function showPresence(row: PendingOutboxRow, provider: WhatsAppProvider, s: WorkspaceSettings) {
    const inbound = row.inboundProviderMessageId;
    if (inbound !== null && lastRead.get(row.chatId) !== inbound) {
      await cosmetic('markRead', () => provider.markRead(row.chatId, [inbound]));
      lastRead.set(row.chatId, inbound);
    }
    await cosmetic('typing', () => provider.sendTyping(row.chatId, 'composing'));
    await c.waits.wait(typingDelayMs(row.text.length, s.pacing, c.o.random), false);
  }

  return async (row, provider, settings) => {
    const pacing = settings.pacing;
    const started = c.o.timers.now();
    if (pacing.enabled) {
      await showPresence(row, provider, settings);
      if (c.flags.stopped) return true;
    }
    let file: OutboundMedia | null = null;
    if (row.media !== null && row.media !== undefined) {
      try {
        file = await mediaOf(c, row, row.media);
      } catch (error) {
        return recordSendFailure(c, row, row.attempts + 1, error, pacing);
      }
    }
    if (!(await claim(c, row, file))) return true;
    const attempt = row.attempts + 1;
    try {
      const { providerMessageId } =
        file === null ? await sendWords(c, provider, row) : await sendFile(c, provider, row, file);
      await recordSent(c, row, providerMessageId, file, { attempt, started });
      return true;
    } catch (error) {
      return recordSendFailure(c, row, attempt, error, pacing);
    }
  };
}

/** Marks the row 'sending' and records the outbound message; false when it was finished meanwhile. */
async function claim(c: SenderContext, row: PendingOutboxRow, file: OutboundMedia | null) {
  const { o } = c;
  return o.store.transaction(async (trx) => {
    // Someone finished it meanwhile (an ack showed it went out before a crash): never send it twice.
    if (!(await createOutboxRepository(trx).markSending(o.workspaceId, row.id, o.timers.now()))) {
      return false;
    }
    await createPipelineMessageRepository(trx).recordOutbound(
      o.workspaceId,
      {
        id: row.id,
        businessNumber: row.businessNumber,
        providerMessageId: row.id,
        chatId: row.chatId,
        author: row.kind === 'owner' ? 'owner' : 'bot',
        text: file === null ? row.text : file.caption,
        status: 'sending',
      },
      o.timers.now(),
    );
    if (file !== null) await recordFile(c, trx, row, file);
    return true;
  });
}

async function recordSent(
  c: SenderContext,
  row: PendingOutboxRow,
  providerMessageId: string,
  file: OutboundMedia | null,
  at: { attempt: number; started: number },
) {
  const { o } = c;
  const now = o.timers.now();
  await o.store.transaction(async (trx) => {
    await createOutboxRepository(trx).markSent(o.workspaceId, row.id, providerMessageId, now);
    await createPipelineMessageRepository(trx).markOutboundSent(
      o.workspaceId,
      row.id,
      providerMessageId,
      now,
    );
  });
  c.log.info('message.sent', `${row.kind} reply sent to ${row.chatId}`, {
    outboxId: row.id,
    providerMessageId,
    chatId: row.chatId,
    kind: row.kind,
    ...(file !== null && { media: file.kind, bytes: file.data.length }),
    attempt: at.attempt,
    latencyMs: now - row.createdAt,
    sendMs: now - at.started,
  });
  o.onSent?.(row);
}
