import type { E164, WorkspaceId } from '../../../shared/types';
import { SwitchboardError } from '../../errors';
import type { Logger } from '../../log/logger';
import { realTimers, type Timers } from '../../timers';
import { createBoundedCache } from '../bounded-cache';
import type { SendOptions, WhatsAppProvider } from '../provider';
import { createCloudHealth } from './cloud-health';
import { fetchCloudMedia } from './cloud-media-fetch';
import { createCloudSenders } from './cloud-senders';
import { createCloudRequests, createCloudSession } from './cloud-session';
import { createWebhookIntake } from './cloud-webhook-intake';
import { createGraphClient } from './graph-client';
import { downloadMedia, listTemplates, type MessageTemplate } from './templates-and-media';
import type { WebhookNotification } from './webhook';

export type { MessageTemplate } from './templates-and-media';
export { MAX_TEXT_LENGTH } from './cloud-senders';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_API_VERSION = 'v25.0';

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

/**
 * One business number on Meta's WhatsApp Cloud API, composed of named parts: the session (listeners,
 * open or not), health (connect and the periodic check), the senders, the webhook intake and the media
 * fetch. There is no socket: "connected" means the token was accepted by `GET /{phone_number_id}` and
 * keeps being accepted by the periodic health check. A refused token (190) or a restricted account
 * closes the number with a code the reconnect supervisor turns into "needs attention"; replies then
 * wait in the outbox instead of failing.
 */
export function createCloudApiProvider(options: CloudApiProviderOptions): CloudApiProvider {
  const { businessNumber, phoneNumberId, wabaId } = options;
  const timers = options.timers ?? realTimers;
  const graph = createGraphClient({
    baseUrl: options.baseUrl ?? DEFAULT_GRAPH_BASE_URL,
    version: options.graphApiVersion ?? DEFAULT_GRAPH_API_VERSION,
    accessToken: options.accessToken,
    timeoutMs: options.requestTimeoutMs ?? 20_000,
  });
  const log = options.logger.child({
    workspaceId: options.workspaceId,
    meta: { number: businessNumber, phoneNumberId, provider: 'cloud-api' },
  });
  /** The newest inbound message per chat: the Cloud API shows "typing" as part of marking one read. */
  const lastInbound = createBoundedCache<string>(5_000);
  const session = createCloudSession({ businessNumber, log, timers });
  const requests = createCloudRequests({ businessNumber, graph, log, session });
  const health = createCloudHealth({
    businessNumber,
    phoneNumberId,
    graph,
    log,
    timers,
    intervalMs: options.healthIntervalMs ?? 30_000,
    session,
  });
  const senders = createCloudSenders({ phoneNumberId, graph, log, requests, lastInbound });
  const handleWebhook = createWebhookIntake({
    businessNumber,
    phoneNumberId,
    log,
    emit: session.emit,
    lastInbound,
  });

  return {
    kind: 'cloud-api',
    businessNumber,
    phoneNumberId,
    wabaId,
    connect: health.connect,
    async disconnect() {
      session.end();
      await Promise.resolve();
    },
    requestPairingCode: () => Promise.reject(notPairable()),
    ...senders,
    ownNumber: () => health.profile()?.displayNumber ?? businessNumber,
    async ping(timeoutMs) {
      requests.requireOpen('check the connection');
      await requests.request('check the connection', {}, () =>
        graph.get(`/${phoneNumberId}`, { fields: 'id' }, timeoutMs),
      );
    },
    handleWebhook,
    profile: health.profile,
    listTemplates: () => requests.request('list templates', {}, () => listTemplates(graph, wabaId)),
    downloadMedia: (mediaId) =>
      requests.request('download media', { mediaId }, () => downloadMedia(graph, mediaId)),
    fetchMedia: (ref, limits) => fetchCloudMedia(graph, ref, limits),
    on: session.on,
  };
}

function notPairable(): SwitchboardError {
  return new SwitchboardError(
    'VALIDATION',
    'A number on the WhatsApp Cloud API is not linked with a QR code or a pairing code: it connects ' +
      "with its Meta app's access token. Check the number's phone number ID and token instead.",
    { provider: 'cloud-api' },
  );
}
