import { z } from 'zod';

/**
 * A workspace's settings, stored as JSON and always read through this schema: a value written by an
 * older version gets today's defaults for anything it lacks, and an unknown key is dropped.
 */
const clockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM');
const openIntervals = z
  .array(
    z
      .object({ open: clockTime, close: clockTime })
      .refine((i) => i.open < i.close, { message: 'a day closes after it opens' }),
  )
  .max(4);

/** One AI endpoint the bot may ask; its API key is stored apart, encrypted, never in settings. */
export const aiProviderSettingsSchema = z.object({
  /** Unique in the workspace; names the provider in logs and keys its stored API key. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a provider id is lower-case letters, digits and dashes'),
  kind: z.enum(['openai-compatible', 'anthropic']),
  /** e.g. https://api.openai.com/v1 (OpenAI-compatible, up to the version) or https://api.anthropic.com. */
  baseUrl: z
    .string()
    .max(300)
    .url('the address must be a URL such as https://api.openai.com/v1')
    .refine((u) => /^https?:\/\//i.test(u), 'the address must start with https:// or http://'),
  model: z.string().trim().min(1, 'a model name is required').max(100),
  /** 'fast' answers simple questions cheaply; 'smart' takes buying intent and long chats. */
  tier: z.enum(['fast', 'smart']),
  enabled: z.boolean().default(true),
  /** False for a service on the owner's own computer or network (Ollama, llama.cpp) that takes no key. */
  needsKey: z.boolean().default(true),
  /**
   * What the owner pays, US$ per million tokens: 0 for a model on their own computer. Absent: the
   * built-in price list's figure for the model (a model it does not know cannot be saved without one).
   */
  price: z
    .object({
      inputPerMTok: z
        .number()
        .min(0, 'a price cannot be negative')
        .max(1000, 'at most $1000 a million tokens'),
      outputPerMTok: z
        .number()
        .min(0, 'a price cannot be negative')
        .max(1000, 'at most $1000 a million tokens'),
    })
    .optional(),
});
export type AiProviderSettings = z.infer<typeof aiProviderSettingsSchema>;

export const workspaceSettingsSchema = z.object({
  /** IANA time zone for business hours and daily figures. */
  timezone: z.string().min(1).max(64).default('Africa/Lagos'),
  faq: z
    .object({
      /** Below this confidence the FAQ matcher abstains (and hybrid mode asks the AI). */
      threshold: z.number().min(0).max(1).default(0.55),
      /**
       * The owner's "in my shop these mean the same": groups of words or phrases the FAQ matcher reads
       * as one meaning, on top of its built-in table (e.g. ["suya", "grilled meat"]).
       */
      synonyms: z
        .array(z.array(z.string().min(1).max(50)).min(2).max(20))
        .max(100)
        .default([]),
      /**
       * When the bot is unsure between a few FAQs, ask the customer which one they mean ("Reply 1 or
       * 2") instead of handing the chat over; no pick within `clarifyWaitMinutes` hands it over.
       */
      clarify: z.boolean().default(true),
      clarifyWaitMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(15),
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
      /** A question the bot cannot answer goes to a human instead of being left unanswered. */
      onBotAbstain: z.boolean().default(true),
      /**
       * A message older than this when it reaches the shop (the PC was off) goes to a person rather
       * than getting the bot's answer days late; 0 answers every message however old.
       */
      staleAfterHours: z
        .number()
        .min(0)
        .max(24 * 30)
        .default(12),
      /**
       * A message longer than this (characters) goes to a person: an order, a complaint, a story is not
       * an FAQ question. 0 lets the bot try every length.
       */
      longMessageChars: z.number().int().min(0).max(10_000).default(300),
      /** Whether the customer is told when the chat is handed to a person. */
      messageEnabled: z.boolean().default(true),
      /**
       * Told to the customer when the chat is handed to a human; empty sends nothing. May use {business}
       * and {hours} (today's opening hours).
       */
      message: z
        .string()
        .max(1000)
        .default('Thanks for your message. Someone from our team will reply to you here shortly.'),
    })
    .prefault({}),
  /** Sent once to a customer who writes to a number for the first time. May use {business} and {hours}. */
  greeting: z
    .object({
      enabled: z.boolean().default(true),
      text: z
        .string()
        .min(1)
        .max(1000)
        .default('Hello, and thank you for contacting us! How can we help you today?'),
    })
    .prefault({}),
  /**
   * Opening hours in `timezone`. Off by default: a shop that has not set its hours must not tell
   * customers it is closed. Each day lists open intervals ('HH:MM', close after open, '24:00' allowed).
   */
  businessHours: z
    .object({
      enabled: z.boolean().default(false),
      days: z
        .object({
          sun: openIntervals.default([]),
          mon: openIntervals.default([{ open: '08:00', close: '18:00' }]),
          tue: openIntervals.default([{ open: '08:00', close: '18:00' }]),
          wed: openIntervals.default([{ open: '08:00', close: '18:00' }]),
          thu: openIntervals.default([{ open: '08:00', close: '18:00' }]),
          fri: openIntervals.default([{ open: '08:00', close: '18:00' }]),
          sat: openIntervals.default([{ open: '09:00', close: '15:00' }]),
        })
        .prefault({}),
      /** Whether the away message is sent (hours still decide when a hand-off notice would be untrue). */
      awayEnabled: z.boolean().default(true),
      /** Sent at most once per customer per closed period. May use {business} and {hours}. */
      awayMessage: z
        .string()
        .min(1)
        .max(1000)
        .default("Thanks for your message! We're closed right now and will reply as soon as we open."),
    })
    .prefault({}),
  /**
   * How replies go out (whatsapp-notes.md: mark read, type for a time that grows with the length, random
   * gaps). Defaults look like a person typing; `enabled: false` sends at once (tests, benchmarks).
   */
  pacing: z
    .object({
      enabled: z.boolean().default(true),
      typingMsPerChar: z.number().min(0).max(1000).default(30),
      minTypingMs: z.number().int().min(0).max(60_000).default(1500),
      maxTypingMs: z.number().int().min(0).max(120_000).default(8000),
      /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
      jitter: z.number().min(0).max(0.9).default(0.3),
      /** Per-number token bucket: sustained replies per minute, and how many may go back to back. */
      perMinute: z.number().min(0.1).max(600).default(12),
      burst: z.number().int().min(1).max(100).default(3),
      maxAttempts: z.number().int().min(1).max(50).default(6),
      retryBaseMs: z.number().int().min(100).max(3_600_000).default(5000),
      retryMaxMs: z
        .number()
        .int()
        .min(100)
        .max(86_400_000)
        .default(10 * 60_000),
    })
    .prefault({}),
  /** A customer who sends many messages quickly gets one answer per window, not one per message. */
  floodGuard: z
    .object({
      enabled: z.boolean().default(true),
      windowSeconds: z.number().int().min(1).max(3600).default(10),
    })
    .prefault({}),
  /** The AI side of the bot (bot mode 'ai' or 'hybrid'); FAQ-only workspaces never call it. */
  ai: z
    .object({
      /** What the shop sells and anything customers often ask, in the owner's words: the AI's grounding. */
      about: z.string().max(1000).default(''),
      /** Tried in order within a tier; a failing one hands over to the next. */
      providers: z
        .array(aiProviderSettingsSchema)
        .max(6)
        .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'provider ids must differ')
        .default([]),
      /** Spending caps in US dollars; null means no cap for that period. */
      dailyBudgetUsd: z.number().min(0).max(1000).nullable().default(1),
      monthlyBudgetUsd: z.number().min(0).max(10_000).nullable().default(20),
      /** How long one provider may take before the next is tried. */
      timeoutMs: z.number().int().min(1000).max(60_000).default(15_000),
      /**
       * The shop's currency for showing and typing budgets: its ISO code and how many of it make one US
       * dollar (the owner's rate). Budgets and spending are kept in US dollars, as providers bill.
       */
      currency: z
        .object({
          code: z.string().regex(/^[A-Z]{3}$/, 'a currency is a three-letter code such as NGN'),
          perUsd: z.number().positive('the exchange rate must be above 0').max(1_000_000),
        })
        .prefault({ code: 'USD', perUsd: 1 }),
    })
    .prefault({}),
  /** Telling the owner about chats that need a person (desktop notifications, the browser tab). */
  notifications: z
    .object({
      /**
       * A chat still waiting for a person after this many minutes is notified again, once per that many
       * minutes, until someone answers it or gives it back to the bot; 0 reminds never.
       */
      remindAfterMinutes: z
        .number()
        .int()
        .min(0)
        .max(24 * 60)
        .default(10),
    })
    .prefault({}),
  /** Photos, voice notes and documents customers send: kept under the data folder's media/. */
  media: z
    .object({
      /** A larger file is not downloaded: the thread says so, with Retry. */
      maxFileMb: z.number().int().min(1).max(2048).default(64),
      /** All of the workspace's kept files together; past it new files are not downloaded. */
      maxWorkspaceMb: z.number().int().min(10).max(1_000_000).default(4096),
      /** Files older than this are deleted (the message and its caption stay); 0 keeps them for ever. */
      retentionDays: z.number().int().min(0).max(3650).default(365),
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
