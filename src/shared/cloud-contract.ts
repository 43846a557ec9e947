import { z } from 'zod';
import { workspaceIdInput } from './contract-ids';
import {
  documentFilenameProblem,
  MAX_BUTTON_VALUE,
  MAX_HEADER_TEXT_VALUE,
  mediaLinkProblem,
} from './template-text';
import type { E164, MessageAuthor, MessageStatus, WorkspaceId } from './types';
import { command } from './command-spec';

/**
 * The WhatsApp Cloud API part of the contract: connecting an official number (checked with
 * a live call to Meta before anything is saved), its templates, its 24-hour customer service windows,
 * and what its messages cost. Tokens go in and never come back: only their last four characters do.
 * contract.ts spreads `cloudCommands` into its command map. This file must not import contract.ts (an
 * import cycle).
 */

/** A Cloud number as Home and Settings show it. */
export interface CloudNumberView {
  /** Our number's id (what connection.* and number.remove take). */
  numberId: string;
  workspaceId: WorkspaceId;
  e164: E164;
  /** Meta's phone_number_id and WhatsApp Business Account id. */
  phoneNumberId: string;
  wabaId: string;
  /** As Meta shows it, e.g. "+234 809 000 0001". */
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  /** GREEN, YELLOW, RED or UNKNOWN; null before the first check. */
  qualityRating: string | null;
  /** When Meta last answered the health check (UTC ms). */
  lastCheckedAt: number | null;
  /** The access token's last four characters. */
  tokenHint: string;
  /** Set when this host takes webhooks itself (app secret and verify token stored, sealed). */
  takesWebhooks: boolean;
  graphBaseUrl: string | null;
  graphVersion: string | null;
}

/** What the workspace's Cloud messages cost, from the `pricing` object of their status webhooks. */
export interface CloudSpend {
  /** Messages with a pricing object this month (the shop's time zone is not applied: UTC month). */
  monthMessages: number;
  monthBillable: number;
  /** Billable messages this month per category (service, utility, marketing, authentication). */
  billableByCategory: Record<string, number>;
}

export interface CloudStatus {
  workspaceId: WorkspaceId;
  numbers: CloudNumberView[];
  spend: CloudSpend;
}

/**
 * Where the webhook relay of a workspace stands (Cloud numbers' webhooks fetched from the central
 * server of its sync enrollment, src/core/whatsapp/cloud-api/relay-client.ts):
 * - `not-enrolled`: the workspace is not enrolled with a central server, so no webhook reaches it that way;
 * - `idle`: enrolled, but it has no Cloud number yet;
 * - `polling`: connected, waiting for Meta's next webhook;
 * - `refused`: the central server refused the workspace's token (enroll again);
 * - `unreachable`: the central server could not be reached or failed; `nextRetryAt` says when again.
 * Whatever the state, `held` lists webhooks kept on this computer for a number that is not running.
 */
export type CloudRelayState = 'not-enrolled' | 'idle' | 'polling' | 'refused' | 'unreachable';

/**
 * Webhooks kept on this computer for one Cloud number of the workspace that is not running
 * (disconnected by the owner, being restarted with a new token): acknowledged to the central server, handed to the number in order once it
 * runs again. The workspace's other numbers do not wait for it.
 */
export interface CloudRelayHeld {
  phoneNumberId: string;
  webhooks: number;
  /** Customers' messages and delivery statuses in them. */
  messages: number;
  statuses: number;
  /** When the oldest was kept (UTC ms). */
  since: number;
}

export interface CloudRelayStatus {
  workspaceId: WorkspaceId;
  state: CloudRelayState;
  /** The central server polled; null when not enrolled. */
  serverUrl: string | null;
  /** When the relay entered this state (UTC ms); null before it first ran. */
  since: number | null;
  /** What went wrong, in words (network error, HTTP status); null while all is well. */
  problem: string | null;
  /** Failed polls (or waits) in a row. */
  failures: number;
  /** When it tries again (UTC ms), while unreachable or refused. */
  nextRetryAt: number | null;
  /** Per number not running: what waits for it on this computer (empty when nothing does). */
  held: CloudRelayHeld[];
  /** When a webhook was last handed to a number here, and how many since Switchboard started. */
  lastDeliveryAt: number | null;
  delivered: number;
  /**
   * Customers' messages kept as unroutable since start (stored in `unroutable_messages`, never
   * answered): their webhook was for a number no longer in this workspace, so it was acknowledged
   * without delivery. Statuses in such webhooks are only logged.
   */
  keptUnroutable: number;
  lastKeptUnroutable: { phoneNumberId: string; reason: string; at: number } | null;
}

/** The cloud part of the contract's events (merged into `Events` by contract.ts). */
export interface CloudEvents {
  /** The workspace's webhook relay changed state or delivered (at most about once a second). */
  'cloud.relayChanged': CloudRelayStatus;
}

/** Demo mode only: the simulated official number, for "Use the demo number" in the connect form. */
export interface DemoCloudNumber {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  /** E.164 of the simulated number, and the name Meta (the simulator) gives it. */
  e164: E164;
  verifiedName: string;
  /** Where the simulated Graph API listens (demo mode's default Graph address). */
  graphBaseUrl: string;
}

/**
 * A template's header: text (perhaps with one placeholder to fill in), or an image, video or document
 * the owner links to when sending. `other` is a kind Switchboard cannot send (a location).
 */
export interface CloudTemplateHeader {
  format: 'text' | 'image' | 'video' | 'document' | 'other';
  /** A text header as Meta stores it, with its placeholder; null for the other kinds. */
  text: string | null;
  /**
   * The text header's placeholder ("1" or a name), filled by `header.text` of
   * `conversation.sendTemplate`; null when there is none.
   */
  parameter: string | null;
}

/** One button of a template, in Meta's order. */
export interface CloudTemplateButton {
  /** Its position among the template's buttons, from 0: what Meta's `index` names when sending. */
  index: number;
  /** Meta's button type in lower case: quick_reply, url, phone_number, copy_code, ... */
  type: string;
  /** The label the customer sees. */
  text: string;
  /** A link button's address as Meta stores it, with its placeholder; null for other buttons. */
  url: string | null;
  /** The link's placeholder to fill in; null when the link is fixed (or it is not a link button). */
  parameter: string | null;
}

/** One approved template of a number's WhatsApp Business Account. */
export interface CloudTemplate {
  name: string;
  language: string;
  category: string | null;
  /** The body's text, with {{1}}-style parameters as Meta stores them; null when it has none. */
  body: string | null;
  /** The body's values to fill in, in the order `conversation.sendTemplate` takes them ("1", "2" or names). */
  parameters: string[];
  /**
   * The header, null when there is none. A media header needs `header.link` when sending, a text
   * header with a `parameter` needs `header.text`.
   */
  header: CloudTemplateHeader | null;
  /**
   * Every button, in order. Those with a `parameter` each need a value in `buttons` of
   * `conversation.sendTemplate`, in this order.
   */
  buttons: CloudTemplateButton[];
  /** False when the template needs something this app cannot fill in (a location header, a coupon code). */
  sendable: boolean;
  /** Why it is not sendable, in the owner's words; null when it is. */
  unsendableReason: string | null;
}

/** A chat's 24-hour customer service window on the number that would answer it. */
export interface ChatWindow {
  chatId: string;
  /** The number a reply would go out from; null when none of the business's numbers is connected. */
  businessNumber: E164 | null;
  /** True when that number is on the Cloud API: only then does the window apply. */
  cloud: boolean;
  lastInboundAt: number | null;
  closesAt: number | null;
  /** False: only a template can be sent now. Always true for numbers linked with a QR code. */
  open: boolean;
}

/** The template as it appears in the chat (the same shape as a thread message). */
export interface SentTemplateMessage {
  id: string;
  author: MessageAuthor;
  text: string | null;
  at: number;
  status: MessageStatus;
  kind: null;
}

const metaId = (label: string, where: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .regex(/^\d{5,30}$/, `${label} is a long number of digits only: copy it from ${where}`);

/** One printable line without spaces: what Meta issues for tokens and secrets. */
const secretText = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .min(min, `That ${label.toLowerCase()} is too short: paste the whole of it`)
    .max(max, `That ${label.toLowerCase()} is too long`)
    .refine((v) => /^[\x21-\x7e]+$/.test(v), `${label} has no spaces or special characters: paste it again`);

/** An optional form field: left empty means not given. */
const optional = <T extends z.ZodType<string, string>>(schema: T) =>
  z
    .union([z.literal(''), schema])
    .optional()
    .transform((v) => (v === '' || v === undefined ? undefined : v));

/** Text checked by one of template-text's rules; the message names the field and what to fix. */
const checkedText = (label: string, problem: (value: string) => string | null) =>
  z.string({ error: `${label} is text` }).superRefine((value, ctx) => {
    const found = problem(value);
    if (found !== null) ctx.addIssue({ code: 'custom', message: `${label} ${found}` });
  });

const chatIdInput = z
  .string({ error: 'chatId is required' })
  .trim()
  .min(1, 'chatId is required')
  .max(200, 'chatId is too long');

export const cloudCommands = {
  /**
   * Connects an official number: checked with a live `GET /{phone_number_id}` (and the WABA's
   * templates) before anything is saved. The number is the one Meta names; a number of this workspace
   * linked with a QR code moves to the Cloud API and keeps its history.
   */
  'cloud.connect': command<CloudNumberView>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      phoneNumberId: metaId(
        'Phone number ID',
        "WhatsApp Manager › Phone numbers (or the app's API Setup page)",
      ),
      wabaId: metaId('WhatsApp Business Account ID', 'WhatsApp Manager › Account tools'),
      accessToken: secretText('Access token', 20, 2000),
      appSecret: optional(secretText('App secret', 8, 200)),
      verifyToken: optional(secretText('Verify token', 1, 200)),
      graphBaseUrl: optional(
        z
          .string()
          .trim()
          .max(300, 'The Graph API address is too long')
          .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'The Graph API address starts with https://'),
      ),
      graphVersion: optional(
        z
          .string()
          .trim()
          .regex(/^v\d{1,3}\.\d{1,2}$/, 'A Graph API version looks like v25.0'),
      ),
      label: optional(z.string().trim().max(100, 'The label can be at most 100 characters')),
    }),
  ),
  'cloud.status': command<CloudStatus>()(z.strictObject({ workspaceId: workspaceIdInput })),
  /** The workspace's webhook relay: polling, refused, unreachable (and when again), last delivery. */
  'cloud.relay': command<CloudRelayStatus>()(z.strictObject({ workspaceId: workspaceIdInput })),
  /** The number's approved templates, read live from its WhatsApp Business Account. */
  'cloud.templates': command<CloudTemplate[]>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      e164: z
        .string({ error: 'e164 is required' })
        .regex(/^\+[1-9]\d{6,14}$/, 'e164 is a phone number like +2348031234567')
        .transform((v) => v as E164),
    }),
  ),
  /** Whether the owner may write freely in a chat now, or only send a template. */
  'cloud.window': command<ChatWindow>()(
    z.strictObject({ workspaceId: workspaceIdInput, chatId: chatIdInput }),
  ),
  /** Sends one of the number's approved templates in a chat (what is left once the window closed). */
  'conversation.sendTemplate': command<SentTemplateMessage>()(
    z.strictObject({
      workspaceId: workspaceIdInput,
      chatId: chatIdInput,
      name: z
        .string({ error: 'Pick a template' })
        .regex(/^[a-z0-9_]{1,512}$/, 'A template name is lower-case letters, digits and underscores'),
      language: z
        .string({ error: 'language is required' })
        .regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'A template language looks like en or en_US'),
      /** One value per entry of the template's `parameters`, in that order. */
      parameters: z
        .array(
          z
            .string({ error: 'A template value is text' })
            .max(1024, 'A template value is at most 1,024 characters'),
        )
        .max(100, 'A template takes at most 100 values')
        .optional(),
      /**
       * The header's value: `link` (and for a document, optionally `filename`) for an image, video or
       * document header; `text` for a text header's placeholder.
       */
      header: z
        .strictObject(
          {
            link: checkedText('The header link', mediaLinkProblem).optional(),
            filename: checkedText('The file name', documentFilenameProblem).optional(),
            text: z
              .string({ error: 'The header value is text' })
              .max(MAX_HEADER_TEXT_VALUE, 'The header value is at most 60 characters')
              .optional(),
          },
          { error: 'header is an object with a link (and a filename) or a text, and nothing else' },
        )
        .optional(),
      /** One value per button of the template with a `parameter` (a link to complete), in order. */
      buttons: z
        .array(
          z
            .string({ error: 'A button value is text' })
            .max(MAX_BUTTON_VALUE, 'A button value is at most 2,000 characters'),
          { error: 'buttons is a list of values, one per button link to fill in' },
        )
        .max(10, 'A template has at most 10 buttons')
        .optional(),
    }),
  ),
};
