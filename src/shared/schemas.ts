import { z } from 'zod';
import { BOT_MODES, PROVIDER_KINDS, SUBSCRIPTION_TIERS } from './types';

/**
 * Input schemas for commands. Every binding (IPC, HTTP) and the core's services validate with these,
 * so a bad value is refused with the same message wherever it comes from.
 */

/**
 * User text: a string (never null), trimmed, bounded, and well-formed UTF-16. A lone surrogate would
 * be stored as U+FFFD by SQLite's UTF-8 conversion, silently changing what the owner typed, and NUL
 * characters cut strings short in some tools, so both are refused rather than altered.
 */
export const userText = (label: string, max: number, min = 1) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be text`),
    })
    .trim()
    .min(min, min === 1 ? `${label} cannot be empty` : `${label} needs at least ${min} characters`)
    .max(max, `${label} is too long (at most ${max} characters)`)
    .refine((s) => s.isWellFormed(), `${label} contains broken characters (invalid UTF-16)`)
    .refine((s) => !s.includes('\u0000'), `${label} contains a NUL character`);

export const countryCode = z
  .string({ error: 'country must be a two-letter code such as NG' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'country must be a two-letter code such as NG');

export const createWorkspaceInput = z.object({
  name: userText('Business name', 200),
  defaultCountry: countryCode.default('NG'),
  botMode: z.enum(BOT_MODES).default('faq'),
  tier: z.enum(SUBSCRIPTION_TIERS).default('free'),
});
export type CreateWorkspaceInput = z.input<typeof createWorkspaceInput>;

export const updateWorkspaceInput = z
  .object({
    name: userText('Business name', 200),
    defaultCountry: countryCode,
    botMode: z.enum(BOT_MODES),
    tier: z.enum(SUBSCRIPTION_TIERS),
  })
  .partial()
  .strict();
export type UpdateWorkspaceInput = z.input<typeof updateWorkspaceInput>;

export const addPhoneNumberInput = z.object({
  number: z.string({ error: 'phone number is required' }).max(64, 'phone number is too long'),
  provider: z.enum(PROVIDER_KINDS).default('baileys'),
  label: userText('Label', 100).nullable().default(null),
});
export type AddPhoneNumberInput = z.input<typeof addPhoneNumberInput>;
