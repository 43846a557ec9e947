import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { StoredMessage } from './ingest';
import type { HandoffAlert } from './decision-processor';

export type PipelineAlert =
  | ({ type: 'handoff' } & HandoffAlert)
  | {
      type: 'send-failed';
      workspaceId: WorkspaceId;
      businessNumber: E164;
      chatId: string;
      outboxId: string;
      error: string;
    }
  /** The workspace's AI budget for the day or month is spent: FAQ answers and hand-offs only until it renews. */
  | { type: 'ai-budget'; workspaceId: WorkspaceId; period: 'day' | 'month' }
  /** An AI provider refused its key (401/403): skipped until the owner enters it again. */
  | { type: 'ai-key-refused'; workspaceId: WorkspaceId; provider: string; status: number };

export interface ChatActivity {
  workspaceId: WorkspaceId;
  chatId: string;
}

/**
 * What the pipeline tells the shells: alerts for the owner (hand-offs, failed sends) and chat activity
 * for screens to reload. A listener that throws is logged and never stops the pipeline.
 */
export interface OwnerNotices {
  alert: (alert: PipelineAlert) => void;
  activity: (workspaceId: WorkspaceId, chatId: string) => void;
  /** Activity once per chat of the messages just decided. */
  storedActivity: (stored: readonly StoredMessage[]) => void;
  /** A chat needs a person: logged, and the owner told (the shells turn the alert into notifications). */
  needsPerson: (alert: HandoffAlert) => void;
  /** A chat the sender could not answer now waits for a person: told like a hand-off. */
  escalate: (
    workspaceId: WorkspaceId,
    number: E164,
    row: { chatId: string; inboundMessageId: string | null },
    reason: string,
  ) => void;
}

export function createOwnerNotices(deps: {
  logger: Logger;
  now: () => number;
  onAlert?: ((alert: PipelineAlert) => void) | undefined;
  onActivity?: ((activity: ChatActivity) => void) | undefined;
}): OwnerNotices {
  const log = deps.logger;
  const notices: OwnerNotices = {
    alert(a) {
      try {
        deps.onAlert?.(a);
      } catch (error) {
        log.error('error', 'a pipeline alert handler failed', { error });
      }
    },
    activity(workspaceId, chatId) {
      try {
        deps.onActivity?.({ workspaceId, chatId });
      } catch (error) {
        log.error('error', 'a pipeline activity listener failed', { error });
      }
    },
    storedActivity(stored) {
      const seen = new Set<string>();
      for (const s of stored) {
        const key = `${s.workspaceId}\u0000${s.chatId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        notices.activity(s.workspaceId, s.chatId);
      }
    },
    needsPerson(h) {
      log
        .child({ workspaceId: h.workspaceId, contactId: h.contactId })
        .warn('handoff.requested', `Chat ${h.chatId} needs a person (${h.reason})`, {
          chatId: h.chatId,
          number: h.businessNumber,
          reason: h.reason,
          messageId: h.messageId,
          waitingSince: h.waitingSince,
          again: h.again,
        });
      notices.alert({ type: 'handoff', ...h });
    },
    escalate(workspaceId, number, row, reason) {
      notices.needsPerson({
        workspaceId,
        businessNumber: number,
        chatId: row.chatId,
        contactId: null,
        reason,
        messageId: row.inboundMessageId ?? '',
        waitingSince: deps.now(),
        again: false,
      });
    },
  };
  return notices;
}
