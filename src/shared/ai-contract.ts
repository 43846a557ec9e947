import { z } from 'zod';
import { workspaceIdInput } from './contract-ids';
import { budgetInput } from './money-input';
import { aiProviderSettingsSchema, type AiProviderSettings } from './settings';
import type { BotMode, WorkspaceId } from './types';
import { command } from './command-spec';

/**
 * The AI part of the contract: what Settings' "AI answers" section shows and changes.
 * Provider addresses, models and budgets live in the workspace's settings; API keys are kept apart,
 * sealed, and only their last four characters ever come back. contract.ts spreads `aiCommands` into its
 * command map. This file must not import contract.ts (an import cycle).
 */

export interface AiProviderStatus extends AiProviderSettings {
  /** The stored key's last characters (four, fewer for a short key); null when no key is stored. */
  keyHint: string | null;
  /** What a call is charged, US$ per million tokens, and where that figure comes from. */
  charged: { inputPerMTok: number; outputPerMTok: number; source: 'owner' | 'price-list' | 'unknown' };
  /** The provider's health as the bot sees it now (its circuit breaker). */
  health: AiProviderHealth;
}

/**
 * - working: calls go through (after failures below the breaker's threshold too);
 * - cooling-down: skipped until `until` (failures in a row, or the provider asked us to wait);
 * - key-refused: the provider said 401/403; skipped until the key is saved again or a Test works.
 */
export type AiProviderHealth =
  | { state: 'working' }
  | { state: 'cooling-down'; until: number; reason: string }
  | { state: 'key-refused'; since: number };

export interface AiStatus {
  workspaceId: WorkspaceId;
  botMode: BotMode;
  about: string;
  providers: AiProviderStatus[];
  budget: { dailyUsd: number | null; monthlyUsd: number | null };
  /** The shop's currency for showing and typing amounts, and its rate (how many make one US$). */
  currency: { code: string; perUsd: number };
  /** How long one provider may take before the next is tried, in seconds. */
  timeoutSeconds: number;
  /** The workspace's time zone: the budget's day and month are counted in it. */
  timeZone: string;
  /** Spent so far in the current day and month (the shop's time zone), and the number of AI calls. */
  spend: { dayUsd: number; monthUsd: number; dayCalls: number; monthCalls: number };
  /** Why the AI will not answer now, in words for the owner; null when it will. */
  problem: string | null;
}

/**
 * The owner must hear of it now, whatever screen is open: the AI budget ran out (again, after a raise),
 * or a provider refused its key. Shown like a chat needing a person (desktop or browser notification).
 */
export type AiAlert =
  | { kind: 'budget-exhausted'; period: 'day' | 'month' }
  | { kind: 'key-refused'; provider: string; status: number };

/** The notification's title for an AI alert (desktop and browser alike). */
export const aiAlertTitle = (alert: AiAlert): string =>
  alert.kind === 'budget-exhausted' ? 'AI budget used up' : 'AI key refused';

export interface AiEvents {
  'ai.alerted': { workspaceId: WorkspaceId; alert: AiAlert; message: string; at: number };
}

export interface AiTestResult {
  ok: boolean;
  latencyMs: number;
  /** The model's reply on success; on failure what went wrong and what to do. */
  message: string;
}

const providerIdInput = z
  .string({ error: 'providerId is required' })
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a provider id is lower-case letters, digits and dashes');

/** A key is a single line of printable characters; what providers issue is 20 to 200 long. */
const apiKeyInput = z
  .string({ error: 'API key must be text' })
  .trim()
  .min(8, 'That API key is too short: paste the whole key')
  .max(500, 'That API key is too long')
  .refine(
    (key) => /^[\x21-\x7e]+$/.test(key),
    'An API key has no spaces or special characters: paste it again',
  );

export const aiCommands = {
  'ai.status': command<AiStatus>()(z.strictObject({ workspaceId: workspaceIdInput })),
  /** Adds a provider or replaces the one with the same id; a key given here is stored sealed. */
  'ai.saveProvider': command<AiStatus>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      provider: aiProviderSettingsSchema,
      apiKey: apiKeyInput.optional(),
    }),
  ),
  'ai.removeProvider': command<AiStatus>()(
    z.strictObject({ workspaceId: workspaceIdInput, providerId: providerIdInput }),
  ),
  /**
   * Budgets are amounts as the owner types them ("0,50", "₦500", "$2"; a bare number is in the shop's
   * currency) or "no-limit"; null is refused. `currency` is read first, so a budget in the new currency
   * converts at the new rate.
   */
  'ai.update': command<AiStatus>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      about: z.string().max(1000, 'At most 1000 characters about the shop').optional(),
      dailyBudget: budgetInput('Daily budget').optional(),
      monthlyBudget: budgetInput('Monthly budget').optional(),
      currency: z
        .strictObject({
          code: z
            .string()
            .trim()
            .toUpperCase()
            .regex(/^[A-Z]{3}$/, 'A currency is a three-letter code such as NGN or USD'),
          perUsd: z
            .number({ error: 'The exchange rate must be a number' })
            .positive('The exchange rate must be above 0: how many of your currency make one US dollar')
            .max(1_000_000, 'That exchange rate is too large'),
        })
        .optional(),
      timeoutSeconds: z
        .number({ error: 'The waiting time must be a number of seconds' })
        .int('The waiting time is a whole number of seconds')
        .min(1, 'Wait at least 1 second for a provider')
        .max(60, 'Wait at most 60 seconds for a provider')
        .optional(),
    }),
  ),
  /** One short real request with the stored key: proves the address, model and key work together. */
  'ai.test': command<AiTestResult>()(
    z.strictObject({ workspaceId: workspaceIdInput, providerId: providerIdInput }),
  ),
};
