/**
 * Types shared by the core, the shells and the renderer. This file imports nothing: it is part of the
 * contract that every binding derives from.
 */

/** A nominal type: a string that has been checked, so it cannot be mixed up with a raw one. */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type WorkspaceId = Brand<string, 'WorkspaceId'>;
/** A phone number in E.164 form, e.g. `+2348031234567`. Only `normalizePhoneNumber` makes one. */
export type E164 = Brand<string, 'E164'>;

export const BOT_MODES = ['faq', 'ai', 'hybrid'] as const;
export type BotMode = (typeof BOT_MODES)[number];

export const SUBSCRIPTION_TIERS = ['free', 'standard', 'pro'] as const;
export type SubscriptionTier = (typeof SUBSCRIPTION_TIERS)[number];

export const PROVIDER_KINDS = ['baileys', 'cloud-api'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** What the UI shows for a number; the reconnect supervisor moves a number between these. */
export const NUMBER_STATUSES = [
  'unpaired',
  'pairing',
  'connecting',
  'connected',
  'reconnecting',
  'needs-attention',
  'logged-out',
  /** The QR was scanned with a phone whose WhatsApp is another number: that link was undone. */
  'wrong-phone',
  'replaced',
  'banned',
  'update-required',
  'disabled',
] as const;
export type NumberStatus = (typeof NUMBER_STATUSES)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const MESSAGE_DIRECTIONS = ['in', 'out'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/** Who wrote a message: the customer, the bot, or the shop owner by hand. */
export const MESSAGE_AUTHORS = ['contact', 'bot', 'owner'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];

export const MESSAGE_STATUSES = [
  'received',
  'processed',
  'ignored',
  'unroutable',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
