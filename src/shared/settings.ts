import { z } from 'zod';

/**
 * A workspace's settings, stored as JSON and always read through this schema: a value written by an
 * older version gets today's defaults for anything it lacks, and an unknown key is dropped.
 */
export const workspaceSettingsSchema = z.object({
  /** IANA time zone for business hours and daily figures. */
  timezone: z.string().min(1).max(64).default('Africa/Lagos'),
  faq: z
    .object({
      /** Below this confidence the FAQ matcher abstains (and hybrid mode asks the AI). */
      threshold: z.number().min(0).max(1).default(0.55),
    })
    .prefault({}),
  handoff: z
    .object({
      keywords: z
        .array(z.string().min(1).max(50))
        .max(50)
        .default(['agent', 'human', 'customer care', 'customer service', 'speak to someone', 'real person']),
      /** Minutes the bot stays quiet in a chat after the owner replied there by hand. */
      ownerPauseMinutes: z
        .number()
        .int()
        .min(0)
        .max(24 * 60)
        .default(30),
    })
    .prefault({}),
  ignore: z
    .object({
      groups: z.boolean().default(true),
      statusBroadcasts: z.boolean().default(true),
      broadcasts: z.boolean().default(true),
      newsletters: z.boolean().default(true),
    })
    .prefault({}),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;
export type WorkspaceSettingsInput = z.input<typeof workspaceSettingsSchema>;

export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = workspaceSettingsSchema.parse({});
