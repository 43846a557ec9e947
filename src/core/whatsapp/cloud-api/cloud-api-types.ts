import type { E164, WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { Timers } from '../../timers';
import type { SendOptions, WhatsAppProvider } from '../provider';
import type { MessageTemplate } from './templates-and-media';
import type { WebhookNotification } from './webhook';

/** What identifies one number on the Cloud API (cloud-api-notes.md, "Identifiers and secrets"). */
export interface CloudApiNumberConfig {
  /** Meta's phone_number_id, the id in every send's path: NOT the phone number, nor our number row's id. */
  phoneNumberId: string;
  /** The WhatsApp Business Account: templates are listed from it; `entry[].id` in webhooks. */
  wabaId: string;
  /** A System User token (or the dashboard's temporary one). Never logged, scrubbed from every error. */
  accessToken: string;
}

export interface CloudApiProviderOptions extends CloudApiNumberConfig {
  businessNumber: E164;
  workspaceId: WorkspaceId;
  graphApiVersion?: string;
  /** Tests point it at the local Graph API server. */
  baseUrl?: string;
  logger: Logger;
  timers?: Timers;
  /** How often an open number re-reads its name and quality rating (and so notices an expired token); 0: never. */
  healthIntervalMs?: number;
  requestTimeoutMs?: number;
}

/** What `GET /{phone_number_id}` says about the number: shown in the UI. */
export interface CloudNumberProfile {
  displayPhoneNumber: string;
  displayNumber: E164 | null;
  verifiedName: string | null;
  /** GREEN, YELLOW, RED or UNKNOWN. */
  qualityRating: string | null;
  checkedAt: number;
}

export interface WebhookOutcome {
  messages: number;
  acks: number;
  /** Meta redelivers: an id (or id + status) seen lately is dropped here, and by the pipeline's key anyway. */
  duplicates: number;
  /** Changes addressed to another phone_number_id: not this provider's to handle. */
  otherNumbers: number;
  skipped: number;
}

export interface CloudApiProvider extends WhatsAppProvider {
  readonly kind: 'cloud-api';
  readonly phoneNumberId: string;
  readonly wabaId: string;
  /**
   * A verified notification (parseWebhook) -> 'message' and 'ack' events for this number. Emits
   * whether or not the number is connected: a webhook is a customer's message that Meta already
   * handed over, not traffic of a session.
   */
  handleWebhook(notification: WebhookNotification): WebhookOutcome;
  /** The last health check's answer, or null before the first. */
  profile(): CloudNumberProfile | null;
  listTemplates(): Promise<MessageTemplate[]>;
  /**
   * Sends an approved template: the only message Meta allows outside the 24-hour customer service
   * window. The outbox id travels in `biz_opaque_callback_data`, as with texts.
   */
  sendTemplate(
    chatId: string,
    template: TemplateToSend,
    send: SendOptions,
  ): Promise<{ providerMessageId: string }>;
  downloadMedia(mediaId: string): Promise<{ bytes: Buffer; mimeType: string | null }>;
}

/** `{"type":"template","template":{"name","language":{"code"},"components"?}}` */
export interface TemplateToSend {
  name: string;
  language: string;
  components?: unknown[];
}
