import type { WorkspaceSettings } from '../../shared/settings';
import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { Kysely } from 'kysely';
import { SwitchboardError } from '../errors';
import type { Store } from '../store/open-database';
import { createMessageMediaRepository } from '../store/repositories/message-media';
import type { Database } from '../store/schema';
import { createConversationRepository } from '../store/repositories/conversations';
import {
  createOutboxRepository,
  type OutboxMedia,
  type PendingOutboxRow,
} from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import type { TimerHandle, Timers } from '../timers';
import type { OutboundList, OutboundMedia, WhatsAppProvider } from '../whatsapp/provider';
import { clarifyListRows, LIST_LIMITS } from '../bot/faq/clarify';
import { createTokenBucket, retryDelayMs, typingDelayMs } from './pacing';
import { classifySendError, errorText } from './send-errors';

export interface SenderOptions {
  workspaceId: WorkspaceId;
  businessNumber: E164;
  store: Store;
  logger: Logger;
  timers: Timers;
  random: () => number;
  /** The number's provider right now; undefined while the number has no connection. */
  provider: () => WhatsAppProvider | undefined;
  settings: () => Promise<WorkspaceSettings | undefined>;
  /** The bytes of a file a row sends, by SHA-256 (the media store); without it such rows fail. */
  readMedia?: (sha256: string) => Promise<Buffer>;
  /** How long to wait before trying again when the number is not connected and no reconnect is heard of. */
  notConnectedRetryMs?: number;
  onFailed?: (row: PendingOutboxRow, error: string) => void;
  /**
   * A bot reply waited in the outbox longer than the workspace's stale limit (the PC was off all night):
   * it and the chat's other queued bot replies were cancelled and the chat handed to a person.
   * `waiting` is true when the chat started waiting for a person with it.
   */
  onStale?: (row: PendingOutboxRow, cancelled: string[], waiting: boolean) => void;
  /** A row went out (after it was recorded as sent). */
  onSent?: (row: PendingOutboxRow) => void;
  /**
   * Cloud API only: how long a row whose send was cut short (still 'sending' at start) waits for Meta's
   * status webhook before it is sent again. Meta gives each send a new id, so sending again too early
   * would answer the customer twice; a status carrying our id (biz_opaque_callback_data) settles it.
   */
  reconcileMs?: number;
}

export interface Sender {
  /** There may be new work (rows queued, the number reconnected): look at the outbox again now. */
  kick(): void;
  /** Stops after the current step; a send in flight finishes (or fails) and is recorded. */
  stop(): Promise<void>;
}

/**
 * The one sender of a business number. It drains the number's outbox one message at a time, as a
 * person would (whatsapp-notes.md): oldest first, a chat's replies strictly in order, mark the
 * customer's message read, show "typing..." for a time that grows with the reply, then send; a token
 * bucket caps the number's rate. Every attempt sends with the row's own id, so a row resent after a
 * crash is the same WhatsApp message, and a row already marked sent is never sent again.
 */
export function createSender(o: SenderOptions): Sender {
  const outbox = createOutboxRepository(o.store.db);
  const messages = createPipelineMessageRepository(o.store.db);
  const bucket = createTokenBucket();
  const log = o.logger.child({ workspaceId: o.workspaceId, meta: { number: o.businessNumber } });
  const notConnectedRetryMs = o.notConnectedRetryMs ?? 30_000;
  const reconcileMs = o.reconcileMs ?? 10 * 60_000;
  /** The last inbound message marked read per chat: a greeting, away and answer to one message read it once. */
  const lastRead = new Map<string, string>();

  let loop: Promise<void> | null = null;
  let restart: TimerHandle | null = null;
  let stopped = false;
  let kicked = false;
  let waiting: { timer: TimerHandle | null; resolve: () => void; interruptible: boolean } | null = null;

  /** Waits `ms` (Infinity: until kicked). A kick ends an interruptible wait early; stop ends any. */
  function wait(ms: number, interruptible: boolean): Promise<void> {
    return new Promise((resolve) => {
      const entry = { timer: null as TimerHandle | null, resolve, interruptible };
      if (Number.isFinite(ms)) {
        entry.timer = o.timers.setTimeout(
          () => {
            if (waiting === entry) waiting = null;
            resolve();
          },
          Math.max(0, ms),
        );
      }
      waiting = entry;
    });
  }

  function wake(force: boolean): void {
    const w = waiting;
    if (w === null || (!w.interruptible && !force)) return;
    waiting = null;
    if (w.timer !== null) o.timers.clearTimeout(w.timer);
    w.resolve();
  }

  async function run(): Promise<void> {
    while (!stopped) {
      kicked = false;
      const rows = await outbox.listPending(o.workspaceId, o.businessNumber, 200);
      if (rows.length === 0) {
        if (kicked) continue;
        return; // idle: the next kick starts a new loop
      }
      const now = o.timers.now();
      // Only the oldest unfinished row of each chat may go: a later reply never overtakes an earlier one,
      // even while the earlier one waits for a retry.
      const heads = new Map<string, PendingOutboxRow>();
      for (const row of rows) if (!heads.has(row.chatId)) heads.set(row.chatId, row);
      const due = [...heads.values()].filter((r) => r.nextAttemptAt <= now);
      if (due.length === 0) {
        const next = Math.min(...[...heads.values()].map((r) => r.nextAttemptAt));
        if (!kicked) await wait(next - now, true);
        continue;
      }
      const settings = await o.settings();
      if (settings === undefined) return; // the workspace is gone, and its outbox with it
      const provider = o.provider();
      if (provider === undefined) {
        log.debug('outbox.waiting', `${o.businessNumber} has no connection; replies wait`, {
          pending: rows.length,
        });
        if (!kicked) await wait(notConnectedRetryMs, true);
        continue;
      }
      const head = due[0]!;
      if (head.status === 'sending' && provider.kind === 'cloud-api' && now < head.updatedAt + reconcileMs) {
        await outbox.reschedule(
          o.workspaceId,
          head.id,
          {
            attempts: head.attempts,
            nextAttemptAt: head.updatedAt + reconcileMs,
            lastError: "waiting for Meta's status of an attempt that was cut short",
          },
          now,
        );
        log.info(
          'outbox.reconciling',
          `Reply ${head.id} may have gone out before a restart; waiting for its status`,
          {
            outboxId: head.id,
            chatId: head.chatId,
            until: head.updatedAt + reconcileMs,
          },
        );
        continue;
      }
      if (await staleReply(head, settings, now)) continue;
      const pacing = settings.pacing;
      if (pacing.enabled) {
        const delay = bucket.take(o.timers.now(), pacing.perMinute, pacing.burst);
        if (delay > 0) {
          log.debug('outbox.rate-limited', `Rate limit: next reply in ${delay} ms`, { delayMs: delay });
          await wait(delay, false);
          continue;
        }
      }
      const keepGoing = await sendOne(head, provider, settings);
      if (!keepGoing && !stopped && !kicked) await wait(notConnectedRetryMs, true);
    }
  }

  /**
   * A bot reply still queued past the stale limit is decided again: a 13-hour-late "we open at 8am"
   * reads as a machine that was not listening, so it is cancelled with the chat's other queued bot
   * replies, and the chat goes to a person. A row already 'sending' may have gone out: it is finished.
   */
  async function staleReply(
    row: PendingOutboxRow,
    settings: WorkspaceSettings,
    now: number,
  ): Promise<boolean> {
    const staleMs = settings.handoff.staleAfterHours * 3_600_000;
    if (staleMs <= 0 || row.kind === 'owner' || row.status !== 'queued' || now - row.createdAt <= staleMs) {
      return false;
    }
    const reason = 'reply-stale';
    const { cancelled, waiting } = await o.store.transaction(async (trx) => {
      const cancelled = await createOutboxRepository(trx).cancelQueuedBotReplies(
        o.workspaceId,
        o.businessNumber,
        row.chatId,
        `cancelled: waited ${Math.round((now - row.createdAt) / 3_600_000)} h to be sent`,
        now,
      );
      const waiting = await createConversationRepository(trx).markWaiting(
        o.workspaceId,
        o.businessNumber,
        row.chatId,
        reason,
        now,
        true,
      );
      return { cancelled, waiting };
    });
    log.warn(
      'outbox.stale',
      `A reply to ${row.chatId} waited ${Math.round((now - row.createdAt) / 60_000)} min to be sent; ` +
        `it was not sent and the chat goes to a person`,
      { outboxId: row.id, chatId: row.chatId, cancelled, queuedAt: row.createdAt },
    );
    o.onStale?.(row, cancelled, waiting);
    return true;
  }

  /** Returns false when the number turned out not to be connected. */
  async function sendOne(row: PendingOutboxRow, provider: WhatsAppProvider, settings: WorkspaceSettings) {
    const pacing = settings.pacing;
    const started = o.timers.now();
    if (pacing.enabled) {
      const inbound = row.inboundProviderMessageId;
      if (inbound !== null && lastRead.get(row.chatId) !== inbound) {
        await cosmetic('markRead', () => provider.markRead(row.chatId, [inbound]));
        lastRead.set(row.chatId, inbound);
      }
      await cosmetic('typing', () => provider.sendTyping(row.chatId, 'composing'));
      const typing = typingDelayMs(row.text.length, pacing, o.random);
      await wait(typing, false);
      if (stopped) return true;
    }

    let file: OutboundMedia | null = null;
    if (row.media !== null && row.media !== undefined) {
      try {
        file = await mediaOf(row, row.media);
      } catch (error) {
        return failed(row, row.attempts + 1, error, pacing);
      }
    }

    // From here a crash leaves the row 'sending': the next start sends it again, with this same id.
    const claimed = await o.store.transaction(async (trx) => {
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
      if (file !== null) await recordFile(trx, row, file);
      return true;
    });
    if (!claimed) return true;
    const attempt = row.attempts + 1;
    try {
      const { providerMessageId } =
        file === null ? await sendWords(provider, row) : await sendFile(provider, row, file);
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
      log.info('message.sent', `${row.kind} reply sent to ${row.chatId}`, {
        outboxId: row.id,
        providerMessageId,
        chatId: row.chatId,
        kind: row.kind,
        ...(file !== null && { media: file.kind, bytes: file.data.length }),
        attempt,
        latencyMs: now - row.createdAt,
        sendMs: now - started,
      });
      o.onSent?.(row);
      return true;
    } catch (error) {
      return failed(row, attempt, error, pacing);
    }
  }

  async function failed(
    row: PendingOutboxRow,
    attempt: number,
    error: unknown,
    pacing: WorkspaceSettings['pacing'],
  ): Promise<boolean> {
    const now = o.timers.now();
    const text = errorText(error);
    const kind = classifySendError(error);
    const meta = { outboxId: row.id, chatId: row.chatId, kind: row.kind, attempt, error: text, class: kind };
    if (kind === 'not-connected') {
      // Not the message's fault: the attempt is not counted and the row goes out as soon as the number is back.
      await outbox.reschedule(
        o.workspaceId,
        row.id,
        { attempts: row.attempts, nextAttemptAt: now, lastError: text },
        now,
      );
      log.warn('message.failed', `${o.businessNumber} is not connected; the reply waits in the outbox`, {
        ...meta,
        willRetry: true,
      });
      return false;
    }
    if (kind === 'permanent' || attempt >= pacing.maxAttempts) {
      await outbox.markFailed(o.workspaceId, row.id, text, now);
      await messages.advanceStatus(o.workspaceId, row.businessNumber, row.id, 'failed', now);
      log.error('message.failed', `Reply to ${row.chatId} given up after ${attempt} attempt(s): ${text}`, {
        ...meta,
        willRetry: false,
      });
      o.onFailed?.(row, text);
      return true;
    }
    const delay = retryDelayMs(attempt, pacing, o.random);
    await outbox.reschedule(
      o.workspaceId,
      row.id,
      { attempts: attempt, nextAttemptAt: now + delay, lastError: text },
      now,
    );
    log.warn(
      'message.failed',
      `Reply to ${row.chatId} failed (attempt ${attempt}); retrying in ${delay} ms`,
      {
        ...meta,
        willRetry: true,
        retryInMs: delay,
      },
    );
    return true;
  }

  async function mediaOf(row: PendingOutboxRow, media: OutboxMedia): Promise<OutboundMedia> {
    if (o.readMedia === undefined) throw new Error('this process has no media store to send files from');
    const data = await o.readMedia(media.sha256).catch((error: unknown) => {
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
  async function sendWords(provider: WhatsAppProvider, row: PendingOutboxRow) {
    const list = listOf(row);
    if (list === null || provider.sendList === undefined) {
      return provider.sendText(row.chatId, row.text, { messageId: row.id });
    }
    try {
      return await provider.sendList(row.chatId, list, { messageId: row.id });
    } catch (error) {
      if (classifySendError(error) !== 'permanent') throw error;
      log.warn(
        'outbox.list_refused',
        `WhatsApp refused the list of choices for ${row.chatId} (${errorText(error)}); it goes as numbered text`,
        { outboxId: row.id, chatId: row.chatId },
      );
      return provider.sendText(row.chatId, row.text, { messageId: row.id });
    }
  }

  async function sendFile(provider: WhatsAppProvider, row: PendingOutboxRow, file: OutboundMedia) {
    if (provider.sendMedia === undefined) {
      throw new SwitchboardError('VALIDATION', `${o.businessNumber} cannot send files.`, {
        sendClass: 'permanent',
      });
    }
    return provider.sendMedia(row.chatId, file, { messageId: row.id });
  }

  /** The thread shows the file like a customer's: a media row beside the message, stored already. */
  async function recordFile(trx: Kysely<Database>, row: PendingOutboxRow, file: OutboundMedia) {
    const media = createMessageMediaRepository(trx);
    const now = o.timers.now();
    await media.insertMany(
      o.workspaceId,
      [
        {
          messageId: row.id,
          kind: file.kind,
          mime: file.mime,
          size: file.data.length,
          fileName: file.fileName,
          caption: file.caption,
          durationSeconds: null,
          thumbnail: null,
          extra: null,
          ref: null,
          state: 'stored',
        },
      ],
      now,
    );
    await media.markStored(o.workspaceId, row.id, { sha256: row.media!.sha256, size: file.data.length }, now);
  }

  /** Read receipts and typing are courtesy: their failure is logged, never blocks the reply. */
  async function cosmetic(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      log.debug('outbox.presence-failed', `${what} failed: ${errorText(error)}`, { what });
    }
  }

  function start(): void {
    if (loop !== null || stopped) return;
    if (restart !== null) o.timers.clearTimeout(restart);
    restart = null;
    loop = run()
      .catch((error: unknown) => {
        // The database said no (busy, full disk): the rows are still there; try again later.
        log.error('message.failed', `The sender of ${o.businessNumber} stopped on an error; retrying`, {
          error,
          stage: 'send',
          retryInMs: notConnectedRetryMs,
        });
        restart = o.timers.setTimeout(() => {
          restart = null;
          if (!stopped) start();
        }, notConnectedRetryMs);
      })
      .finally(() => {
        loop = null;
        if (kicked && !stopped) start();
      });
  }

  return {
    kick() {
      if (stopped) return;
      kicked = true;
      wake(false);
      start();
    },
    async stop() {
      stopped = true;
      if (restart !== null) o.timers.clearTimeout(restart);
      restart = null;
      wake(true);
      await loop;
    },
  };
}

/** The list a row with choices is sent as; null for a plain reply (or a text too long for a list). */
export function listOf(row: Pick<PendingOutboxRow, 'text' | 'choices'>): OutboundList | null {
  const choices = row.choices ?? [];
  if (choices.length < 2 || row.text.length > LIST_LIMITS.body) return null;
  return { body: row.text, button: 'Choose', rows: clarifyListRows(choices) };
}
