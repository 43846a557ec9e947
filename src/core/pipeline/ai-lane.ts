/**
 * Where messages that wait for an AI answer go, so they never hold up the rest of the pipeline: an AI
 * call takes seconds, the pipeline's queue takes milliseconds per batch. Tasks run one at a time per
 * chat, in arrival order (a customer's second message is decided after the first), and at most
 * `concurrency` chats at once (a modest PC and the provider's rate limits). `stop` aborts what runs:
 * those messages stay stored and undecided, and the next start decides them again.
 */
export interface AiLane {
  /** Queues a task behind the chat's earlier ones. */
  push(chatKey: string, task: (signal: AbortSignal) => Promise<void>): void;
  /** Whether the chat has tasks queued or running: its next messages must queue behind them. */
  holds(chatKey: string): boolean;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  stop(): void;
  readonly size: number;
}

export function createAiLane(options: { concurrency: number; onError: (error: unknown) => void }): AiLane {
  const chats = new Map<string, ((signal: AbortSignal) => Promise<void>)[]>();
  const ready: string[] = [];
  const running = new Set<string>();
  const controller = new AbortController();
  let waiters: (() => void)[] = [];
  let size = 0;

  function settleIdle(): void {
    if (size > 0) return;
    const wake = waiters;
    waiters = [];
    for (const w of wake) w();
  }

  function pump(): void {
    while (running.size < options.concurrency && ready.length > 0 && !controller.signal.aborted) {
      const chatKey = ready.shift()!;
      const task = chats.get(chatKey)?.shift();
      if (task === undefined) continue;
      running.add(chatKey);
      void task(controller.signal)
        .catch((error: unknown) => options.onError(error))
        .finally(() => {
          running.delete(chatKey);
          size--;
          const rest = chats.get(chatKey);
          if (rest === undefined || rest.length === 0) chats.delete(chatKey);
          else ready.push(chatKey);
          pump();
          settleIdle();
        });
    }
  }

  return {
    push(chatKey, task) {
      if (controller.signal.aborted) return;
      size++;
      const queue = chats.get(chatKey);
      if (queue === undefined) {
        chats.set(chatKey, [task]);
        ready.push(chatKey);
      } else {
        queue.push(task);
      }
      pump();
    },
    holds: (chatKey) => chats.has(chatKey),
    idle() {
      if (size === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    stop() {
      controller.abort();
      // Queued tasks never start; running ones see the abort and end.
      for (const [chatKey, queue] of chats) {
        if (running.has(chatKey)) {
          size -= queue.length;
          queue.length = 0;
        } else {
          size -= queue.length;
          chats.delete(chatKey);
        }
      }
      ready.length = 0;
      settleIdle();
    },
    get size() {
      return size;
    },
  };
}
