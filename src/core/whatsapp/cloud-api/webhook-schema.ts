import { z } from 'zod';

/**
 * The parts of a Cloud API webhook notification the provider reads (cloud-api-notes.md, "Receiving:
 * webhooks"). Loose objects: Meta adds fields without notice, and an unknown field must never make us
 * drop a customer's message. The envelope is checked strictly; each message and status on its own, so
 * one odd item is skipped (and logged) without losing the rest of the POST.
 */

/** Unix seconds as a string (as sent) or a number (as some relays re-serialise it). */
const unixSeconds = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);
/** Meta's error codes are numbers; some relays send strings. */
const errorCode = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

export const contactSchema = z.looseObject({
  profile: z.looseObject({ name: z.string().optional() }).optional(),
  /** Digits of the customer's number; an empty string for a customer who writes with a username. */
  wa_id: z.string().optional(),
  /** Since 2026: a business-scoped id for customers who use a username. */
  user_id: z.string().optional(),
});
export type WebhookContact = z.infer<typeof contactSchema>;

const mediaSchema = z.looseObject({
  id: z.string(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  /** An audio message recorded in the chat (a voice note). */
  voice: z.boolean().optional(),
});

/** A shared place: coordinates always, a name and address when the customer picked a named place. */
const locationSchema = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
});

/** One shared contact card (Meta sends a list; WhatsApp shares one per message in practice). */
const contactCardSchema = z.looseObject({
  name: z
    .looseObject({ formatted_name: z.string().optional(), first_name: z.string().optional() })
    .optional(),
  phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
});

export const messageSchema = z.looseObject({
  /** The sender's wa_id; may be '' for a username customer. */
  from: z.string(),
  id: z.string().min(1),
  timestamp: unixSeconds,
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  context: z.looseObject({ from: z.string().optional(), id: z.string().optional() }).optional(),
  interactive: z
    .looseObject({
      type: z.string().optional(),
      button_reply: z.looseObject({ id: z.string().optional(), title: z.string() }).optional(),
      list_reply: z
        .looseObject({ id: z.string().optional(), title: z.string(), description: z.string().optional() })
        .optional(),
    })
    .optional(),
  button: z.looseObject({ payload: z.string().optional(), text: z.string() }).optional(),
  image: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  // An odd place or card reaches a person as an unsupported message instead of dropping the message.
  location: locationSchema.optional().catch(undefined),
  contacts: z.array(contactCardSchema).optional().catch(undefined),
});
export type WebhookMessage = z.infer<typeof messageSchema>;

export const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: unixSeconds,
  recipient_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  pricing: z
    .looseObject({
      billable: z.boolean().optional(),
      pricing_model: z.string().optional(),
      category: z.string().optional(),
      type: z.string().optional(),
    })
    .optional(),
  errors: z
    .array(
      z.looseObject({
        code: errorCode,
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.looseObject({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
export type WebhookStatus = z.infer<typeof statusSchema>;

export const changeValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.looseObject({
    display_phone_number: z.string(),
    phone_number_id: z.string().min(1),
  }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});
export type WebhookChangeValue = z.infer<typeof changeValueSchema>;

/** The envelope. A change's `value` stays unknown here: other fields (templates, quality) have other shapes. */
export const notificationSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      /** The WABA id. */
      id: z.string(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});
export type WebhookNotification = z.infer<typeof notificationSchema>;
