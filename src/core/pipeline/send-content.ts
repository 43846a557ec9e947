import type { Kysely } from 'kysely';
import { SwitchboardError } from '../errors';
import { recordStoredFile } from '../media/stored-file';
import type { OutboxMedia, PendingOutboxRow } from '../store/repositories/outbox';
import type { Database } from '../store/schema';
import type { OutboundList, OutboundMedia, WhatsAppProvider } from '../whatsapp/provider';
import { clarifyListRows, LIST_LIMITS } from '../bot/faq/clarify';
import { classifySendError, errorText } from './send-errors';
import type { SenderContext } from './sender-context';

/** The list a row with choices is sent as; null for a plain reply (or a text too long for a list). */
export function listOf(row: Pick<PendingOutboxRow, 'text' | 'choices'>): OutboundList | null {
  const choices = row.choices ?? [];
  if (choices.length < 2 || row.text.length > LIST_LIMITS.body) return null;
  return { body: row.text, button: 'Choose', rows: clarifyListRows(choices) };
}

/** The file a row sends, read from the media store by its SHA-256. */
export async function mediaOf(
  c: SenderContext,
  row: PendingOutboxRow,
  media: OutboxMedia,
): Promise<OutboundMedia> {
  const readMedia = c.o.readMedia;
  if (readMedia === undefined) throw new Error('this process has no media store to send files from');
  const data = await readMedia(media.sha256).catch((error: unknown) => {
    throw new SwitchboardError(
      'NOT_FOUND',
      `The file to send is missing from the media folder (${errorText(error)}); send it again.`,
      { sendClass: 'permanent', outboxId: row.id },
    );
  });
  return {
    kind: media.kind,
    data,
    mime: media.mime,
    fileName: media.fileName,
    caption: media.kind === 'voice' || media.kind === 'audio' ? null : media.caption,
  };
}

/**
 * A clarifying question goes as a list to pick from where the number can send one (the Cloud API);
 * a list WhatsApp refuses (a row it will not take) goes again as the numbered text, which every
 * client shows and the customer answers with a digit.
 */
export async function sendWords(c: SenderContext, provider: WhatsAppProvider, row: PendingOutboxRow) {
  const list = listOf(row);
  if (list === null || provider.sendList === undefined) {
    return provider.sendText(row.chatId, row.text, { messageId: row.id });
  }
  try {
    return await provider.sendList(row.chatId, list, { messageId: row.id });
  } catch (error) {
    if (classifySendError(error) !== 'permanent') throw error;
    c.log.warn(
      'outbox.list_refused',
      `WhatsApp refused the list of choices for ${row.chatId} (${errorText(error)}); it goes as numbered text`,
      { outboxId: row.id, chatId: row.chatId },
    );
    return provider.sendText(row.chatId, row.text, { messageId: row.id });
  }
}

export async function sendFile(
  c: SenderContext,
  provider: WhatsAppProvider,
  row: PendingOutboxRow,
  file: OutboundMedia,
) {
  if (provider.sendMedia === undefined) {
    throw new SwitchboardError('VALIDATION', `${c.o.businessNumber} cannot send files.`, {
      sendClass: 'permanent',
    });
  }
  return provider.sendMedia(row.chatId, file, { messageId: row.id });
}

/** The sent file in the thread, as the owner's upload is. */
export async function recordFile(
  c: SenderContext,
  trx: Kysely<Database>,
  row: PendingOutboxRow,
  file: OutboundMedia,
) {
  await recordStoredFile(
    trx,
    c.o.workspaceId,
    row.id,
    {
      kind: file.kind,
      mime: file.mime,
      size: file.data.length,
      sha256: row.media!.sha256,
      fileName: file.fileName,
      caption: file.caption,
    },
    c.o.timers.now(),
  );
}
