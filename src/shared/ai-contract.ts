import { z } from 'zod';
import { aiProviderSettingsSchema, type AiProviderSettings } from './settings';
import type { BotMode, WorkspaceId } from './types';

/**
 * The AI part of the contract (issue #5): what Settings' "AI answers" section shows and changes.
 * Provider addresses, models and budgets live in the workspace's settings; API keys are kept apart,
 * sealed, and only their last four characters ever come back. contract.ts spreads `aiCommands` into its
 * command map. This file must not import contract.ts (an import cycle).
 */

export interface AiProviderStatus extends AiProviderSettings {
  /** The stored key's last four characters; null when no key is stored (the provider is skipped). */
  keyHint: string | null;
}

export interface AiStatus {
  workspaceId: WorkspaceId;
  botMode: BotMode;
  about: string;
  providers: AiProviderStatus[];
  budget: { dailyUsd: number | null; monthlyUsd: number | null };
  /** Spent so far in the current day and month (the shop's time zone), and the number of AI calls. */
  spend: { dayUsd: number; monthUsd: number; dayCalls: number; monthCalls: number };
  /** Why the AI will not answer now, in words for the owner; null when it will. */
  problem: string | null;
}

export interface AiTestResult {
  ok: boolean;
  latencyMs: number;
  /** The model's reply on success; on failure what went wrong and what to do. */
  message: string;
}

const workspaceIdInput = z
  .string({ error: 'workspaceId is required' })
  .trim()
  .min(1, 'workspaceId is required')
  .max(100, 'workspaceId is too long')
  .transform((id) => id as WorkspaceId);

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

const budgetUsd = (label: string, max: number) =>
  z
    .number({ error: `${label} must be a number of dollars` })
    .min(0, `${label} cannot be negative`)
    .max(max, `${label} can be at most $${max}`)
    .nullable();

interface AiCommandSpec<Input extends z.ZodType, Output> {
  input: Input;
  /** Type only: never read at run time. */
  output: Output;
}

const command =
  <Output>() =>
  <Input extends z.ZodType>(input: Input): AiCommandSpec<Input, Output> => ({
    input,
    output: undefined as unknown as Output,
  });

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
  'ai.update': command<AiStatus>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      about: z.string().max(1000, 'At most 1000 characters about the shop').optional(),
      dailyBudgetUsd: budgetUsd('Daily budget', 1000).optional(),
      monthlyBudgetUsd: budgetUsd('Monthly budget', 10_000).optional(),
    }),
  ),
  /** One short real request with the stored key: proves the address, model and key work together. */
  'ai.test': command<AiTestResult>()(
    z.strictObject({ workspaceId: workspaceIdInput, providerId: providerIdInput }),
  ),
};
