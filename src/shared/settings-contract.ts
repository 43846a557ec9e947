import { z } from 'zod';
import { mediaSettingsPatch } from './media-contract';
import { userText } from './schemas';
import { businessHoursPatch, pacingPatch, timeZoneInput } from './settings-patch';

/** The settings the UI edits today; more groups join as their screens arrive. */
export const settingsPatchInput = z.strictObject({
  faq: z
    .strictObject({
      threshold: z
        .number({ error: 'FAQ threshold must be a number' })
        .min(0, 'FAQ threshold must be between 0 and 1')
        .max(1, 'FAQ threshold must be between 0 and 1'),
      synonyms: z
        .array(
          z
            .array(userText('A word that means the same', 50))
            .min(2, 'a group of words that mean the same needs at least two words')
            .max(20, 'at most 20 words in one group'),
        )
        .max(100, 'at most 100 groups of words that mean the same'),
      clarify: z.boolean(),
      clarifyWaitMinutes: z
        .number({ error: 'The wait for a pick must be a number of minutes' })
        .int('The wait for a pick must be whole minutes')
        .min(1, 'The wait for a pick must be at least 1 minute')
        .max(24 * 60, 'The wait for a pick can be at most 1440 minutes (one day)'),
    })
    .partial()
    .optional(),
  handoff: z
    .strictObject({
      keywords: z.array(userText('Hand-off keyword', 50)).max(50, 'at most 50 hand-off keywords'),
      ownerPauseMinutes: z
        .number({ error: 'Pause minutes must be a number' })
        .int('Pause minutes must be a whole number')
        .min(0, 'Pause minutes cannot be negative')
        .max(24 * 60, 'Pause minutes can be at most 1440 (one day)'),
      onBotAbstain: z.boolean(),
      messageEnabled: z.boolean(),
      message: z.string().max(1000, 'Hand-off message is too long (at most 1000 characters)'),
      longMessageChars: z
        .number({ error: 'Long message length must be a number' })
        .int('Long message length must be a whole number')
        .min(0, 'Long message length cannot be negative')
        .max(10_000, 'Long message length can be at most 10,000 characters'),
    })
    .partial()
    .optional(),
  greeting: z
    .strictObject({
      enabled: z.boolean(),
      text: userText('Greeting', 1000),
    })
    .partial()
    .optional(),
  /** Typing-time pacing of replies and the per-number rate limit; off sends at once. */
  pacing: pacingPatch.optional(),
  /** The zone business hours and the home screen's days are counted in. */
  timezone: timeZoneInput.optional(),
  businessHours: businessHoursPatch.optional(),
  /** Reminders about chats still waiting for a person. */
  notifications: z
    .strictObject({
      remindAfterMinutes: z
        .number({ error: 'Reminder minutes must be a number' })
        .int('Reminder minutes must be a whole number')
        .min(0, 'Reminder minutes cannot be negative')
        .max(24 * 60, 'Reminder minutes can be at most 1440 (one day)'),
    })
    .partial()
    .optional(),
  /** One bot answer per window to a customer who writes many messages quickly. */
  floodGuard: z
    .strictObject({
      enabled: z.boolean(),
      windowSeconds: z
        .number({ error: 'Flood window must be a number' })
        .int('Flood window must be whole seconds')
        .min(1, 'Flood window must be at least 1 second')
        .max(3600, 'Flood window can be at most 3600 seconds'),
    })
    .partial()
    .optional(),
  /** Size caps and retention of customers' files. */
  media: mediaSettingsPatch.optional(),
});
export type SettingsPatchInput = z.input<typeof settingsPatchInput>;
