import type { Logger } from '../log/logger';
import { createAiLane } from './ai-lane';
import type { AiAnswer } from './decision-types';
import type { StoredMessage } from './ingest';

/**
 * Messages waiting for the AI (ai-lane), off the queue: the answer comes back through the queue to be
 * decided in order with everything else. Abandoned at stop: those messages stay stored and undecided,
 * and are decided again at the next start.
 */
export interface AiWaits {
  holds(stored: StoredMessage): boolean;
  push(stored: StoredMessage): void;
  abandon(): void;
  idle(): Promise<void>;
  readonly size: number;
}

export function createAiWaits(deps: {
  concurrency: number;
  logger: Logger;
  ask: (stored: StoredMessage, signal: AbortSignal) => Promise<AiAnswer | null>;
  decide: (stored: StoredMessage, answer: AiAnswer | null) => Promise<void>;
  stopped: () => boolean;
}): AiWaits {
  const newLane = () =>
    createAiLane({
      concurrency: deps.concurrency,
      onError: (error) => deps.logger.error('error', 'an AI lane task failed', { error }),
    });
  let lane = newLane();
  const chatOf = (m: StoredMessage) => `${m.workspaceId}\u0000${m.businessNumber}\u0000${m.chatId}`;
  return {
    holds: (m) => lane.holds(chatOf(m)),
    push(m) {
      lane.push(chatOf(m), async (signal) => {
        let answer: AiAnswer | null = null;
        try {
          answer = await deps.ask(m, signal);
        } catch (error) {
          deps.logger
            .child({ workspaceId: m.workspaceId })
            .error('ai.failed', 'Asking the AI failed; deciding without it', { messageId: m.id, error });
        }
        // Stopping: the message stays stored and undecided, and is decided again at the next start.
        if (signal.aborted || deps.stopped()) return;
        await deps.decide(m, answer);
      });
    },
    abandon() {
      lane.stop();
      lane = newLane();
    },
    idle: () => lane.idle(),
    get size() {
      return lane.size;
    },
  };
}
