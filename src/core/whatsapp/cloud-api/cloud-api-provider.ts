import type { E164, WorkspaceId } from '../../../shared/types';
import { CLOSE_CODES } from '../../connection/reconnect-policy';
import { SwitchboardError } from '../../errors';
import type { Logger } from '../../log/logger';
import { normalizePhoneNumber } from '../../phone/normalize-phone-number';
import { realTimers, type TimerHandle, type Timers } from '../../timers';
import { MediaError } from '../../media/media-error';
import { createBoundedCache } from '../bounded-cache';
import type { CloseInfo, ProviderEvents, ProviderListener, SendOptions, WhatsAppProvider } from '../provider';
import { createGraphClient, GraphApiError } from './graph-client';
import { classifyGraphError, type GraphErrorInfo, type GraphErrorVerdict } from './graph-errors';
import { downloadMedia, listTemplates, uploadMedia, type MessageTemplate } from './templates-and-media';
import { mapNotification, type WebhookNotification } from './webhook';

export type { MessageTemplate } from './templates-and-media';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_API_VERSION = 'v25.0';
/** Meta's limit on a text message's body. */
export const MAX_TEXT_LENGTH = 4096;

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

interface PhoneNumberAnswer {
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: string;
}

interface SendAnswer {
  messages?: { id?: unknown }[];
}

const PROFILE_FIELDS = 'display_phone_number,verified_name,quality_rating';

/**
 * One business number on Meta's WhatsApp Cloud API. There is no socket: "connected" means the token
 * was accepted by `GET /{phone_number_id}` and keeps being accepted by the periodic health check. A
 * refused token (190) or a restricted account closes the number with a code the reconnect supervisor
 * turns into "needs attention"; replies then wait in the outbox instead of failing.
 */
export function createCloudApiProvider(options: CloudApiProviderOptions): CloudApiProvider {
  const { businessNumber, phoneNumberId, wabaId } = options;
  const timers = options.timers ?? realTimers;
  const healthIntervalMs = options.healthIntervalMs ?? 30_000;
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
  const listeners = new Map<keyof ProviderEvents, Set<(event: never) => void>>();
  const seen = createBoundedCache<true>(10_000);
  /** The newest inbound message per chat: the Cloud API shows "typing" as part of marking one read. */
  const lastInbound = createBoundedCache<string>(5_000);
  let generation = 0;
  /** The generation whose outcome is still open to report; null once closed or disconnected. */
  let session: number | null = null;
  let open = false;
  let healthTimer: TimerHandle | null = null;
  let lastProfile: CloudNumberProfile | null = null;

  function emit<K extends keyof ProviderEvents>(event: K, payload: ProviderEvents[K]): void {
    for (const fn of listeners.get(event) ?? []) {
      try {
        (fn as ProviderListener<K>)(payload);
      } catch (error) {
        log.error('error', `a ${event} listener failed`, { error });
      }
    }
  }

  function endSession(): void {
    generation++;
    session = null;
    open = false;
    if (healthTimer !== null) timers.clearTimeout(healthTimer);
    healthTimer = null;
  }

  /** Reports the end of session `mine` once; later failures of the same session are already said. */
  function closeSession(mine: number, close: CloseInfo): void {
    if (session !== mine) return;
    endSession();
    log.warn('connection.closed', `${businessNumber}: ${close.message}`, { code: close.code });
    emit('status', { state: 'closed', close });
  }

  function infoOf(error: unknown): GraphErrorInfo {
    if (error instanceof GraphApiError) return error.info;
    return { code: null, subcode: null, httpStatus: null, details: null, fbtraceId: null, network: false };
  }

  function messageOf(error: unknown): string {
    return graph.scrub(error instanceof Error ? error.message : String(error));
  }

  function closeFor(verdict: GraphErrorVerdict, error: unknown, duringConnect: boolean): CloseInfo {
    const code =
      verdict === 'credentials'
        ? CLOSE_CODES.credentialsRefused
        : verdict === 'restricted'
          ? CLOSE_CODES.accountRestricted
          : // A refused first check (a wrong phone_number_id, say) will not pass on a retry either.
            verdict === 'permanent' && duringConnect
            ? CLOSE_CODES.credentialsRefused
            : null;
    return { code, message: messageOf(error), paired: true, qrExhausted: false };
  }

  /**
   * Logs a failed request with its Graph code and verdict, closes the number when the token or the
   * account is the problem, and returns the error the sender classifies (send-errors.ts).
   */
  function failure(action: string, error: unknown, meta: Record<string, unknown>): SwitchboardError {
    const info = infoOf(error);
    const verdict = classifyGraphError(info);
    const sendClass =
      verdict === 'transient' ? 'transient' : verdict === 'permanent' ? 'permanent' : 'not-connected';
    const message = messageOf(error);
    log.log(
      verdict === 'transient' ? 'warn' : 'error',
      'cloud.request_failed',
      `${action} failed (${verdict}): ${message}`,
      {
        action,
        verdict,
        sendClass,
        code: info.code,
        subcode: info.subcode,
        httpStatus: info.httpStatus,
        fbtraceId: info.fbtraceId,
        ...meta,
      },
    );
    if ((verdict === 'credentials' || verdict === 'restricted') && session !== null) {
      closeSession(session, closeFor(verdict, error, false));
    }
    return new SwitchboardError('INTERNAL', message, {
      sendClass,
      ...(sendClass === 'not-connected' && { reason: 'NOT_CONNECTED' }),
      verdict,
      graphCode: info.code,
      graphSubcode: info.subcode,
      httpStatus: info.httpStatus,
    });
  }

  function requireOpen(action: string): void {
    if (!open) {
      throw new SwitchboardError(
        'INTERNAL',
        `Cannot ${action}: ${businessNumber} is not connected to the WhatsApp Cloud API.`,
        { reason: 'NOT_CONNECTED', sendClass: 'not-connected', number: businessNumber },
      );
    }
  }

  async function fetchProfile(): Promise<CloudNumberProfile> {
    const answer = await graph.get<PhoneNumberAnswer>(`/${phoneNumberId}`, { fields: PROFILE_FIELDS });
    const display = answer.display_phone_number ?? '';
    const normalized = display === '' ? null : normalizePhoneNumber(display, 'NG');
    return {
      displayPhoneNumber: display,
      displayNumber: normalized?.ok === true ? normalized.value : null,
      verifiedName: answer.verified_name ?? null,
      qualityRating: answer.quality_rating ?? null,
      checkedAt: timers.now(),
    };
  }

  function applyProfile(profile: CloudNumberProfile): void {
    const before = lastProfile?.qualityRating ?? null;
    lastProfile = profile;
    if (before !== null && before !== profile.qualityRating) {
      // Meta lowers a number's limits, then may restrict it, as its quality drops: the owner should know.
      log.log(
        profile.qualityRating === 'GREEN' ? 'info' : 'warn',
        'cloud.quality',
        `${businessNumber}: quality rating ${before} -> ${profile.qualityRating}`,
        { from: before, to: profile.qualityRating },
      );
    }
    log.debug('cloud.health', `${businessNumber}: ${profile.verifiedName} (${profile.qualityRating})`, {
      verifiedName: profile.verifiedName,
      qualityRating: profile.qualityRating,
    });
  }

  function scheduleHealth(mine: number): void {
    if (healthIntervalMs <= 0) return;
    healthTimer = timers.setTimeout(() => {
      healthTimer = null;
      void checkHealth(mine);
    }, healthIntervalMs);
  }

  async function checkHealth(mine: number): Promise<void> {
    if (session !== mine || !open) return;
    try {
      const profile = await fetchProfile();
      if (session !== mine) return;
      applyProfile(profile);
    } catch (error) {
      if (session !== mine) return;
      const verdict = classifyGraphError(infoOf(error));
      if (verdict === 'credentials' || verdict === 'restricted') {
        closeSession(mine, closeFor(verdict, error, false));
        return;
      }
      // The network or Meta having a bad minute: the liveness ping decides whether the number is down.
      log.warn('cloud.health', `${businessNumber}: health check failed: ${messageOf(error)}`, {
        code: infoOf(error).code,
        verdict,
      });
    }
    scheduleHealth(mine);
  }

  async function request<T>(
    action: string,
    meta: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw failure(action, error, meta);
    }
  }

  const provider: CloudApiProvider = {
    kind: 'cloud-api',
    businessNumber,
    phoneNumberId,
    wabaId,

    async connect() {
      endSession();
      const mine = generation;
      session = mine;
      emit('status', { state: 'connecting' });
      let profile: CloudNumberProfile;
      try {
        profile = await fetchProfile();
      } catch (error) {
        const verdict = classifyGraphError(infoOf(error));
        closeSession(mine, closeFor(verdict, error, true));
        return;
      }
      if (session !== mine) return; // a newer connect or a disconnect won the race
      applyProfile(profile);
      open = true;
      log.info(
        'connection.opened',
        `${businessNumber}: Cloud API number ${profile.verifiedName ?? ''} verified`,
        {
          verifiedName: profile.verifiedName,
          qualityRating: profile.qualityRating,
        },
      );
      // The connection manager compares it with the number it expects, as after a QR scan.
      if (profile.displayNumber !== null) emit('paired', { ownNumber: profile.displayNumber });
      if (session !== mine) return;
      emit('status', { state: 'open', isNewLogin: false });
      scheduleHealth(mine);
    },

    async disconnect() {
      endSession();
      await Promise.resolve();
    },

    requestPairingCode() {
      return Promise.reject(
        new SwitchboardError(
          'VALIDATION',
          'A number on the WhatsApp Cloud API is not linked with a QR code or a pairing code: it connects ' +
            "with its Meta app's access token. Check the number's phone number ID and token instead.",
          { provider: 'cloud-api' },
        ),
      );
    },

    async sendText(chatId, text, send: SendOptions) {
      requireOpen('send a message');
      if (text.length > MAX_TEXT_LENGTH) {
        throw new SwitchboardError(
          'VALIDATION',
          `A WhatsApp message can be at most ${MAX_TEXT_LENGTH} characters; this one has ${text.length}.`,
          { sendClass: 'permanent' },
        );
      }
      const meta = { chatId, outboxId: send.messageId };
      const answer = await request('send a message', meta, () =>
        graph.post<SendAnswer>(`/${phoneNumberId}/messages`, {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          ...addressOf(chatId),
          type: 'text',
          text: { body: text, preview_url: false },
          // Echoed on every status webhook: how a send whose answer was lost is recognised later.
          biz_opaque_callback_data: send.messageId,
          ...(send.quotedId !== undefined && { context: { message_id: send.quotedId } }),
        }),
      );
      const id = answer.messages?.[0]?.id;
      if (typeof id !== 'string' || id === '') {
        // Accepted without an id: it may go out, so retrying could send it twice.
        throw failure('send a message', new Error('the API accepted the message but returned no id'), meta);
      }
      log.debug('cloud.sent', `Sent ${send.messageId} to ${chatId} as ${id}`, {
        ...meta,
        providerMessageId: id,
      });
      return { providerMessageId: id };
    },

    async sendMedia(chatId, media, send: SendOptions) {
      requireOpen('send a file');
      const meta = { chatId, outboxId: send.messageId, media: media.kind };
      const mediaId = await request('upload a file', meta, () => uploadMedia(graph, phoneNumberId, media));
      const type = media.kind === 'voice' ? 'audio' : media.kind;
      const answer = await request('send a file', meta, () =>
        graph.post<SendAnswer>(`/${phoneNumberId}/messages`, {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          ...addressOf(chatId),
          type,
          [type]: {
            id: mediaId,
            ...(media.caption !== null && type !== 'audio' && { caption: media.caption }),
            ...(type === 'document' && media.fileName !== null && { filename: media.fileName }),
          },
          biz_opaque_callback_data: send.messageId,
        }),
      );
      const id = answer.messages?.[0]?.id;
      if (typeof id !== 'string' || id === '') {
        throw failure('send a file', new Error('the API accepted the file but returned no id'), meta);
      }
      log.debug('cloud.sent', `Sent ${media.kind} ${send.messageId} to ${chatId} as ${id}`, {
        ...meta,
        providerMessageId: id,
        mediaId,
      });
      return { providerMessageId: id };
    },

    async sendList(chatId, list, send: SendOptions) {
      requireOpen('send a list');
      const meta = { chatId, outboxId: send.messageId };
      const answer = await request('send a list', meta, () =>
        graph.post<SendAnswer>(`/${phoneNumberId}/messages`, {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          ...addressOf(chatId),
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: list.body },
            action: { button: list.button, sections: [{ rows: list.rows }] },
          },
          biz_opaque_callback_data: send.messageId,
        }),
      );
      const id = answer.messages?.[0]?.id;
      if (typeof id !== 'string' || id === '') {
        throw failure('send a list', new Error('the API accepted the list but returned no id'), meta);
      }
      log.debug('cloud.sent', `Sent list ${send.messageId} to ${chatId} as ${id}`, {
        ...meta,
        providerMessageId: id,
      });
      return { providerMessageId: id };
    },

    async sendTyping(chatId, state) {
      requireOpen('show typing');
      // No "stop typing" exists: the indicator ends with the reply or after 25 s.
      if (state === 'paused') return;
      const messageId = lastInbound.get(chatId);
      if (messageId === undefined) {
        log.debug('cloud.typing_skipped', `No message of ${chatId} to show typing on`, { chatId });
        return;
      }
      await request('show typing', { chatId }, () =>
        graph.post(`/${phoneNumberId}/messages`, {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: messageId,
          typing_indicator: { type: 'text' },
        }),
      );
    },

    async markRead(chatId, providerMessageIds) {
      requireOpen('mark messages read');
      // Marking a message read marks the earlier ones of the chat read too: one request is enough.
      const newest = providerMessageIds.at(-1);
      if (newest === undefined) return;
      lastInbound.set(chatId, newest);
      await request('mark messages read', { chatId }, () =>
        graph.post(`/${phoneNumberId}/messages`, {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: newest,
        }),
      );
    },

    ownNumber() {
      return lastProfile?.displayNumber ?? businessNumber;
    },

    async ping(timeoutMs) {
      requireOpen('check the connection');
      await request('check the connection', {}, () =>
        graph.get(`/${phoneNumberId}`, { fields: 'id' }, timeoutMs),
      );
    },

    handleWebhook(notification) {
      const mapped = mapNotification(notification, {
        numberFor: (id) => (id === phoneNumberId ? businessNumber : undefined),
      });
      const outcome: WebhookOutcome = {
        messages: 0,
        acks: 0,
        duplicates: 0,
        otherNumbers: mapped.unknown.length,
        skipped: mapped.skipped.length,
      };
      for (const message of mapped.messages) {
        const key = `m:${message.providerMessageId}`;
        if (seen.has(key)) {
          outcome.duplicates++;
          continue;
        }
        seen.set(key, true);
        lastInbound.set(message.chatId, message.providerMessageId);
        outcome.messages++;
        emit('message', message);
      }
      for (const ack of mapped.acks) {
        const key = `a:${ack.providerMessageId}:${ack.status}`;
        if (seen.has(key)) {
          outcome.duplicates++;
          continue;
        }
        seen.set(key, true);
        outcome.acks++;
        emit('ack', ack);
      }
      for (const skipped of mapped.skipped)
        log.debug('cloud.webhook_skipped', skipped.reason, { id: skipped.id });
      log.debug('cloud.webhook', `Webhook: ${outcome.messages} message(s), ${outcome.acks} status(es)`, {
        ...outcome,
      });
      return outcome;
    },

    profile: () => lastProfile,

    listTemplates() {
      return request('list templates', {}, () => listTemplates(graph, wabaId));
    },

    async sendTemplate(chatId, template, send) {
      requireOpen('send a template');
      const meta = { chatId, outboxId: send.messageId, template: template.name };
      const answer = await request('send a template', meta, () =>
        graph.post<SendAnswer>(`/${phoneNumberId}/messages`, {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          ...addressOf(chatId),
          type: 'template',
          template: {
            name: template.name,
            language: { code: template.language },
            ...(template.components !== undefined &&
              template.components.length > 0 && { components: template.components }),
          },
          biz_opaque_callback_data: send.messageId,
        }),
      );
      const id = answer.messages?.[0]?.id;
      if (typeof id !== 'string' || id === '') {
        throw failure('send a template', new Error('the API accepted the template but returned no id'), meta);
      }
      log.info('cloud.template_sent', `Sent template ${template.name} to ${chatId} as ${id}`, {
        ...meta,
        providerMessageId: id,
      });
      return { providerMessageId: id };
    },

    downloadMedia(mediaId) {
      return request('download media', { mediaId }, () => downloadMedia(graph, mediaId));
    },

    // A customer's file by its webhook media id (expires after 7 days: then 'expired', no renewal).
    async fetchMedia(ref, limits) {
      let id: unknown;
      try {
        id = (JSON.parse(ref) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      if (typeof id !== 'string' || id === '')
        throw new MediaError('failed', 'The stored media id is unreadable.');
      let bytes: Buffer;
      try {
        ({ bytes } = await downloadMedia(graph, id));
      } catch (error) {
        if (
          error instanceof GraphApiError &&
          (error.info.httpStatus === 404 || error.info.httpStatus === 410)
        ) {
          throw new MediaError('expired', 'Meta no longer has this file (media ids expire after 7 days).');
        }
        const why = error instanceof Error ? error.message : String(error);
        throw new MediaError(
          /sha256/.test(why) ? 'corrupt' : 'failed',
          `Could not download the file: ${why}`,
        );
      }
      if (bytes.length > limits.maxBytes) {
        throw new MediaError(
          'too-large',
          `The file is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit.`,
        );
      }
      return { data: bytes };
    },

    on(event, listener) {
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  return provider;
}

/**
 * Where a send goes. Digits are a wa_id (`to`); a Baileys-era chat id is turned into one, so a number
 * moved to the Cloud API can answer its old chats. Anything else is a username customer's
 * business-scoped user_id: Meta's docs address those with `recipient` (not in cloud-api-notes.md, so
 * unverified here).
 */
function addressOf(chatId: string): { to: string } | { recipient: string } {
  const jid = /^(\d+)(?::\d+)?@s\.whatsapp\.net$/.exec(chatId);
  if (jid !== null) return { to: jid[1]! };
  return /^\d+$/.test(chatId) ? { to: chatId } : { recipient: chatId };
}
