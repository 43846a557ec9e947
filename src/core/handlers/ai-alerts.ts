import type { Events } from '../../shared/contract';
import type { PipelineAlert } from '../pipeline/pipeline';

/**
 * The AI alerts of the pipeline as the event the shells show (a desktop or browser notification), in
 * the owner's words: what happened and what to do. Other alerts are not the AI's: null.
 */
export function aiAlertEvent(alert: PipelineAlert, at: number): Events['ai.alerted'] | null {
  switch (alert.type) {
    case 'ai-budget':
      return {
        workspaceId: alert.workspaceId,
        alert: { kind: 'budget-exhausted', period: alert.period },
        message:
          alert.period === 'day'
            ? "Today's AI budget is used up: customers get FAQ answers, and the rest comes to you. Raise it in Settings › AI answers."
            : "This month's AI budget is used up: customers get FAQ answers, and the rest comes to you. Raise it in Settings › AI answers.",
        at,
      };
    case 'ai-key-refused':
      return {
        workspaceId: alert.workspaceId,
        alert: { kind: 'key-refused', provider: alert.provider, status: alert.status },
        message: `${alert.provider} refused its API key (HTTP ${alert.status}): the bot skips it until you enter the key again in Settings › AI answers.`,
        at,
      };
    default:
      return null;
  }
}
