import type { TimerHandle } from '../timers';
import { createOutboxRepository } from '../store/repositories/outbox';
import { createPipelineMessageRepository } from '../store/repositories/pipeline-messages';
import { createTokenBucket } from './pacing';
import { createSendAttempt, type SendAttempt } from './send-attempt';
import type { SenderContext, SenderOptions } from './sender-context';
import { createSenderWait } from './sender-wait';
import { awaitCutShortStatus, cancelStaleReply } from './stale-reply';

export type { SenderOptions } from './sender-context';
export { listOf } from './send-content';

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
  const c: SenderContext = {
    o,
    log: o.logger.child({ workspaceId: o.workspaceId, meta: { number: o.businessNumber } }),
    outbox: createOutboxRepository(o.store.db),
    messages: createPipelineMessageRepository(o.store.db),
    waits: createSenderWait(o.timers),
    flags: { stopped: false, kicked: false },
    notConnectedRetryMs: o.notConnectedRetryMs ?? 30_000,
    reconcileMs: o.reconcileMs ?? 10 * 60_000,
  };
  const step = createSendStep(c, createSendAttempt(c));
  let loop: Promise<void> | null = null;
  let restart: TimerHandle | null = null;

  async function run(): Promise<void> {
    while (!c.flags.stopped) {
      c.flags.kicked = false;
      if (!(await step())) return; // idle, or the workspace is gone: the next kick starts a new loop
    }
  }

  function start(): void {
    if (loop !== null || c.flags.stopped) return;
    if (restart !== null) o.timers.clearTimeout(restart);
    restart = null;
    loop = run()
      .catch((error: unknown) => {
        // The database said no (busy, full disk): the rows are still there; try again later.
        c.log.error('message.failed', `The sender of ${o.businessNumber} stopped on an error; retrying`, {
          error,
          stage: 'send',
          retryInMs: c.notConnectedRetryMs,
        });
        restart = o.timers.setTimeout(() => {
          restart = null;
          if (!c.flags.stopped) start();
        }, c.notConnectedRetryMs);
      })
      .finally(() => {
        loop = null;
        if (c.flags.kicked && !c.flags.stopped) start();
      });
  }

  return {
    kick() {
      if (c.flags.stopped) return;
      c.flags.kicked = true;
      c.waits.wake(false);
      start();
    },
    async stop() {
      c.flags.stopped = true;
      if (restart !== null) o.timers.clearTimeout(restart);
      restart = null;
      c.waits.wake(true);
      await loop;
    },
  };
}

/**
 * One look at the outbox: sends (or waits for) the next due row. Resolves false when there is nothing
 * left to do until the next kick (no rows, or the workspace is gone), true to look again.
 */
function createSendStep(c: SenderContext, sendOne: SendAttempt): () => Promise<boolean> {
  const { o, log, flags, waits } = c;
  const bucket = createTokenBucket();
  return async () => {
    const rows = await c.outbox.listPending(o.workspaceId, o.businessNumber, 200);
    if (rows.length === 0) return flags.kicked;
    const now = o.timers.now();
    // Only the oldest unfinished row of each chat may go: a later reply never overtakes an earlier one,
    // even while the earlier one waits for a retry.
    const heads = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!heads.has(row.chatId)) heads.set(row.chatId, row);
    const due = [...heads.values()].filter((r) => r.nextAttemptAt <= now);
    if (due.length === 0) {
      const next = Math.min(...[...heads.values()].map((r) => r.nextAttemptAt));
      if (!flags.kicked) await waits.wait(next - now, true);
      return true;
    }
    const settings = await o.settings();
    if (settings === undefined) return false; // the workspace is gone, and its outbox with it
    const provider = o.provider();
    if (provider === undefined) {
      log.debug('outbox.waiting', `${o.businessNumber} has no connection; replies wait`, {
        pending: rows.length,
      });
      if (!flags.kicked) await waits.wait(c.notConnectedRetryMs, true);
      return true;
    }
    const head = due[0]!;
    if (await awaitCutShortStatus(c, head, provider.kind, now)) return true;
    if (await cancelStaleReply(c, head, settings, now)) return true;
    const pacing = settings.pacing;
    if (pacing.enabled) {
      const delay = bucket.take(o.timers.now(), pacing.perMinute, pacing.burst);
      if (delay > 0) {
        log.debug('outbox.rate-limited', `Rate limit: next reply in ${delay} ms`, { delayMs: delay });
        await waits.wait(delay, false);
        return true;
      }
    }
    const keepGoing = await sendOne(head, provider, settings);
    if (!keepGoing && !flags.stopped && !flags.kicked) await waits.wait(c.notConnectedRetryMs, true);
    return true;
  };
}
