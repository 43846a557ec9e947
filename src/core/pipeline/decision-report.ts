import type { E164, WorkspaceId } from '../../shared/types';
import type { Logger } from '../log/logger';
import type { Decided, HandoffAlert } from './decision-types';
import type { StoredMessage } from './ingest';
import type { Decision } from './types';

export interface ReportDeps {
  logger: Logger;
  onQueued: (workspaceId: WorkspaceId, businessNumber: E164) => void;
  onHandoff: (alert: HandoffAlert) => void;
  onClarify?: ((expiresAt: number) => void) | undefined;
  onAbstained?: ((stored: StoredMessage) => void) | undefined;
}

/**
 * After a batch's decisions committed: each is logged, a hand-off tells the owner, an abstention is
 * recorded for Unanswered, a clarifying question gets its timer, and every number with new outbox
 * rows has its sender kicked once.
 */
export function reportDecisions(deps: ReportDeps, decided: readonly Decided[]): void {
  const numbers = new Map<string, { workspaceId: WorkspaceId; number: E164 }>();
  for (const entry of decided) {
    reportOne(deps, entry);
    const { stored } = entry;
    if (entry.outbox.length > 0) {
      numbers.set(`${stored.workspaceId}\u0000${stored.businessNumber}`, {
        workspaceId: stored.workspaceId,
        number: stored.businessNumber,
      });
    }
  }
  for (const { workspaceId, number } of numbers.values()) deps.onQueued(workspaceId, number);
}

function reportOne(deps: ReportDeps, { stored, decision, outbox, ai, waiting }: Decided): void {
  const entryLog = deps.logger.child({ workspaceId: stored.workspaceId, contactId: stored.contactId });
  const asked = decision.stateChanges.clarification;
  if (asked != null) deps.onClarify?.(asked.expiresAt);
  entryLog.info('message.decided', ownerWords(decision, stored.chatId), {
    messageId: stored.id,
    chatId: stored.chatId,
    number: stored.businessNumber,
    reason: decision.reason,
    actions: decision.actions.map((a) =>
      a.type === 'reply' ? `reply:${(a.parts ?? [a.kind]).join('+')}` : a.type,
    ),
    ...(outbox.length > 0 && { faqId: firstFaqId(decision) }),
    ...(ai !== undefined && {
      ai: {
        reason: ai.reason,
        tier: ai.route?.tier ?? null,
        provider: ai.ai?.provider ?? null,
        model: ai.ai?.model ?? null,
        costUsd: ai.costUsd,
      },
    }),
  });
  if (outbox.length > 0) {
    // One entry per message, not per row: a burst logs enough already (the event log shares the disk).
    entryLog.debug('outbox.queued', `${outbox.map((r) => r.kind).join(' + ')} queued for ${stored.chatId}`, {
      chatId: stored.chatId,
      number: stored.businessNumber,
      inboundMessageId: stored.id,
      rows: outbox.map((r) => ({ outboxId: r.id, kind: r.kind })),
    });
  }
  // The owner is told when a chat starts needing a person, and again when the customer asks again.
  const handoff = decision.actions.find((a) => a.type === 'handoff');
  if (waiting !== null && (handoff !== undefined || !waiting.before)) {
    deps.onHandoff({
      workspaceId: stored.workspaceId,
      businessNumber: stored.businessNumber,
      chatId: stored.chatId,
      contactId: stored.contactId,
      reason: handoff?.reason ?? decision.reason,
      messageId: stored.id,
      waitingSince: waiting.since,
      again: waiting.before,
    });
  }
  if (decision.abstained === true) {
    try {
      deps.onAbstained?.(stored);
    } catch (error) {
      entryLog.error('error', 'recording an unanswered question failed', { error });
    }
  }
}

/**
 * The log line of a decision. The clarifying question's steps are told as the owner would say them;
 * other decisions keep their reason code (the Logs screen explains those).
 */
export function ownerWords(decision: Decision, chatId: string): string {
  const step = decision.clarify;
  switch (step?.step) {
    case 'picked':
      return `The customer in ${chatId} picked answer ${step.choice} of the bot's question: answered`;
    case 'asked':
      return `Not sure which of ${step.offered} FAQs the customer in ${chatId} means: asked them to reply with a number`;
    case 'none':
      return `The customer in ${chatId} said none of the offered answers fits: the chat goes to a person`;
    case 'unclear':
      if (decision.outcome !== 'person') break;
      return `The customer in ${chatId} answered the bot's question with something it still cannot answer: the chat goes to a person`;
    case 'gone':
      return `The FAQ the customer in ${chatId} picked was removed: the chat goes to a person`;
    default:
      break;
  }
  return `${decision.reason} for ${chatId}`;
}

function firstFaqId(decision: Decision): string | null {
  for (const a of decision.actions) if (a.type === 'reply' && a.faqId !== null) return a.faqId;
  return null;
}
