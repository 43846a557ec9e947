import type { WorkspaceId } from '../../shared/types';
import {
  createUnansweredRepository,
  type UnansweredQuestion,
} from '../store/repositories/unanswered-questions';
import type { IdGenerator } from '../ids';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { groupBy } from './group-by';
import type { StoredMessage } from './ingest';

/**
 * Questions the bot abstained on, for the owner's Unanswered screen. Recorded after the decision
 * commits, off the hot path: a failure here is logged and never holds a message back. The questions of
 * one decided batch are recorded together (collected until the batch's report is done): one
 * transaction and one pass of the grouping over the open questions, not one each.
 */
export interface UnansweredRecorder {
  record: (stored: StoredMessage) => void;
  /** Resolves once the recordings started so far are done. */
  idle(): Promise<void>;
  /** Recordings in flight. */
  readonly size: number;
}

export function createUnansweredRecorder(deps: {
  store: Store;
  logger: Logger;
  newId: IdGenerator;
  now: () => number;
  onUnanswered?: ((workspaceId: WorkspaceId) => void) | undefined;
}): UnansweredRecorder {
  const recording = new Set<Promise<void>>();
  let abstained: StoredMessage[] = [];

  async function recordBatch(workspaceId: WorkspaceId, batch: StoredMessage[]): Promise<void> {
    let rows: (UnansweredQuestion | undefined)[];
    try {
      rows = await deps.store.transaction((trx) =>
        createUnansweredRepository(trx, deps.newId).recordMany(
          workspaceId,
          batch.map((m) => m.message.text ?? ''),
          deps.now(),
        ),
      );
    } catch (error) {
      deps.logger
        .child({ workspaceId })
        .warn('bot.unanswered_failed', 'Could not record unanswered questions', {
          messageIds: batch.map((m) => m.id),
          error,
        });
      return;
    }
    for (const [k, stored] of batch.entries()) {
      const row = rows[k];
      if (row === undefined) continue;
      deps.logger.child({ workspaceId, contactId: stored.contactId }).info(
        'bot.unanswered',
        // Never the question itself: events reach the central server, texts only when shared (by messageId).
        `No confident answer; question ${row.id} is in Unanswered (asked ${row.count}x)`,
        { messageId: stored.id, chatId: stored.chatId, questionId: row.id, count: row.count },
      );
    }
    deps.onUnanswered?.(workspaceId);
  }

  return {
    record(stored) {
      const text = stored.message.text;
      if (text === null || text === undefined || text.trim() === '') return;
      abstained.push(stored);
      if (abstained.length > 1) return;
      const done: Promise<void> = Promise.resolve()
        .then(async () => {
          const batch = abstained;
          abstained = [];
          for (const [workspaceId, group] of groupBy(batch, (m) => m.workspaceId))
            await recordBatch(workspaceId, group);
        })
        .finally(() => recording.delete(done));
      recording.add(done);
    },
    async idle() {
      await Promise.all([...recording]);
    },
    get size() {
      return recording.size;
    },
  };
}
