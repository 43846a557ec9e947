import { SwitchboardError } from '../../errors';
import { realTimers } from '../../timers';
import { createBoundedCache } from '../bounded-cache';
import { createCloudHealth } from './cloud-health';
import { fetchCloudMedia } from './cloud-media-fetch';
import { createCloudSenders } from './cloud-senders';
import { createCloudRequests, createCloudSession } from './cloud-session';
import { createWebhookIntake } from './cloud-webhook-intake';
import { createGraphClient } from './graph-client';
import { downloadMedia, listTemplates } from './templates-and-media';
import type { CloudApiProvider, CloudApiProviderOptions } from './cloud-api-types';

export type { MessageTemplate } from './templates-and-media';
export type {
  CloudApiNumberConfig,
  CloudApiProvider,
  CloudApiProviderOptions,
  CloudNumberProfile,
  TemplateToSend,
  WebhookOutcome,
} from './cloud-api-types';
export { MAX_TEXT_LENGTH } from './cloud-senders';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_API_VERSION = 'v25.0';

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
