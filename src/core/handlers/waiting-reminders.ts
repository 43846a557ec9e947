import type { Events } from '../../shared/contract';
import { REMINDER_REASON } from '../../shared/escalation-words';
import type { E164, WorkspaceId } from '../../shared/types';
import type { TimerHandle, Timers } from '../timers';

/** A chat a person owes an answer, with its workspace's reminder interval. */
export interface WaitingChat {
  workspaceId: WorkspaceId;
  chatId: string;
  businessNumber: E164;
  contactName: string | null;
  contactPhone: string | null;
  waitingSince: number;
  /** The workspace's `notifications.remindAfterMinutes`; 0 never reminds. */
  remindAfterMinutes: number;
}

export interface WaitingRemindersOptions {
  timers: Timers;
  /** Every chat waiting for a person, over all workspaces (read again at each check). */
  loadWaiting(): Promise<WaitingChat[]>;
  /** Tells the owner again: a `conversation.escalated` with `again: true` and reason 'reminder'. */
  remind(event: Events['conversation.escalated']): void;
  /** The longest gap between two reads of the waiting chats (new chats, changed settings). Default 30 s. */
  checkEveryMs?: number;
  onError?(error: unknown): void;
}

export interface WaitingReminders {
  /** The owner was just told about this chat (an escalation, or a reminder): the next one is N min on. */
  noteTold(workspaceId: string, chatId: string, at: number): void;
  /** Reads the waiting chats and reminds those due (the timer calls it; tests may too). */
  check(): Promise<void>;
  stop(): void;
}

const keyOf = (workspaceId: string, chatId: string) => `${workspaceId}\u0000${chatId}`;

/**
 * Reminders about chats still waiting for a person: each is notified again once per the workspace's
 * `remindAfterMinutes`, counted from when the owner was last told about it (the escalation, the
 * customer asking again, the previous reminder), until someone answers or gives it back. What was told
 * when lives in memory: after a restart a chat that waited long enough is reminded at the first check,
 * which is what an owner who just opened the app should hear anyway.
 */
export function createWaitingReminders(options: WaitingRemindersOptions): WaitingReminders {
  const { timers } = options;
  const checkEveryMs = options.checkEveryMs ?? 30_000;
  const lastTold = new Map<string, number>();
  let timer: TimerHandle | undefined;
  let stopped = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = timers.setTimeout(() => {
      timer = undefined;
      void run();
    }, delay);
  };

  async function check(): Promise<number> {
    const now = timers.now();
    const waiting = await options.loadWaiting();
    let nextDue = Number.POSITIVE_INFINITY;
    const still = new Set<string>();
    for (const chat of waiting) {
      const every = chat.remindAfterMinutes * 60_000;
      if (every <= 0) continue;
      const key = keyOf(chat.workspaceId, chat.chatId);
      still.add(key);
      // A new wait (answered, then waiting again) starts its own count.
      const told = Math.max(lastTold.get(key) ?? 0, chat.waitingSince);
      if (now - told >= every) {
        lastTold.set(key, now);
        options.remind({
          workspaceId: chat.workspaceId,
          chatId: chat.chatId,
          businessNumber: chat.businessNumber,
          contactName: chat.contactName,
          contactPhone: chat.contactPhone,
          reason: REMINDER_REASON,
          waitingSince: chat.waitingSince,
          again: true,
        });
        nextDue = Math.min(nextDue, now + every);
      } else {
        nextDue = Math.min(nextDue, told + every);
      }
    }
    for (const key of [...lastTold.keys()]) if (!still.has(key)) lastTold.delete(key);
    return nextDue;
  }

  async function run(): Promise<void> {
    let nextDue = Number.POSITIVE_INFINITY;
    try {
      nextDue = await check();
    } catch (error) {
      options.onError?.(error);
    }
    // Wake for the next due reminder, or to look for new waiting chats, whichever comes first.
    schedule(Math.max(1000, Math.min(checkEveryMs, nextDue - timers.now())));
  }

  schedule(checkEveryMs);
  return {
    noteTold(workspaceId, chatId, at) {
      const key = keyOf(workspaceId, chatId);
      lastTold.set(key, Math.max(lastTold.get(key) ?? 0, at));
    },
    check: async () => {
      await check();
    },
    stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}
