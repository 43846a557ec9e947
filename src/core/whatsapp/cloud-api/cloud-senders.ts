import { SwitchboardError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { OutboundList, OutboundMedia, SendOptions, WhatsAppProvider } from '../provider';
import type { CloudApiProvider, TemplateToSend } from './cloud-api-types';
import type { CloudRequests } from './cloud-session';
import type { GraphClient } from './graph-client';
import { uploadMedia } from './templates-and-media';

/** Meta's limit on a text message's body. */
export const MAX_TEXT_LENGTH = 4096;

interface SendAnswer {
  messages?: { id?: unknown }[];
}

type Senders = Required<
  Pick<WhatsAppProvider, 'sendText' | 'sendMedia' | 'sendList' | 'sendTyping' | 'markRead'>
> &
  Pick<CloudApiProvider, 'sendTemplate'>;

interface SenderDeps {
  phoneNumberId: string;
  graph: GraphClient;
  log: Logger;
  requests: CloudRequests;
  /** The newest inbound message per chat: the Cloud API shows "typing" as part of marking one read. */
  lastInbound: { get(chatId: string): string | undefined; set(chatId: string, id: string): void };
}

/**
 * What a Cloud API number sends: texts, files, lists, templates, and the read marks that carry the
 * typing indicator. Each send carries the outbox id in `biz_opaque_callback_data`.
 */
export function createCloudSenders(deps: SenderDeps): Senders {
  return {
    sendText: (chatId, text, send) => sendText(deps, chatId, text, send),
    sendMedia: (chatId, media, send) => sendMedia(deps, chatId, media, send),
    sendList: (chatId, list, send) => sendList(deps, chatId, list, send),
    sendTemplate: (chatId, template, send) => sendTemplate(deps, chatId, template, send),
    sendTyping: (chatId, state) => sendTyping(deps, chatId, state),
    markRead: (chatId, ids) => markRead(deps, chatId, ids),
  };
}

const pathOf = (deps: SenderDeps): string => `/${deps.phoneNumberId}/messages`;

/** Posts one message to a chat and returns its id; `what` names it in the error. */
async function post(
  deps: SenderDeps,
  action: string,
  what: string,
  meta: Record<string, unknown>,
  chatId: string,
  body: Record<string, unknown>,
): Promise<string> {
  const answer = await deps.requests.request(action, meta, () =>
    deps.graph.post<SendAnswer>(pathOf(deps), {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...addressOf(chatId),
      ...body,
    }),
  );
  const id = answer.messages?.[0]?.id;
  if (typeof id !== 'string' || id === '') {
    // Accepted without an id: it may go out, so retrying could send it twice.
    throw deps.requests.failure(action, new Error(`the API accepted the ${what} but returned no id`), meta);
  }
  return id;
}

type Sent = Promise<{ providerMessageId: string }>;

async function sendText(deps: SenderDeps, chatId: string, text: string, send: SendOptions): Sent {
  deps.requests.requireOpen('send a message');
  if (text.length > MAX_TEXT_LENGTH) {
    throw new SwitchboardError(
      'VALIDATION',
      `A WhatsApp message can be at most ${MAX_TEXT_LENGTH} characters; this one has ${text.length}.`,
      { sendClass: 'permanent' },
    );
  }
  const meta = { chatId, outboxId: send.messageId };
  const id = await post(deps, 'send a message', 'message', meta, chatId, {
    type: 'text',
    text: { body: text, preview_url: false },
    // Echoed on every status webhook: how a send whose answer was lost is recognised later.
    biz_opaque_callback_data: send.messageId,
    ...(send.quotedId !== undefined && { context: { message_id: send.quotedId } }),
  });
  deps.log.debug('cloud.sent', `Sent ${send.messageId} to ${chatId} as ${id}`, {
    ...meta,
    providerMessageId: id,
  });
  return { providerMessageId: id };
}

async function sendMedia(deps: SenderDeps, chatId: string, media: OutboundMedia, send: SendOptions): Sent {
  deps.requests.requireOpen('send a file');
  const meta = { chatId, outboxId: send.messageId, media: media.kind };
  const mediaId = await deps.requests.request('upload a file', meta, () =>
    uploadMedia(deps.graph, deps.phoneNumberId, media),
  );
  const type = media.kind === 'voice' ? 'audio' : media.kind;
  const id = await post(deps, 'send a file', 'file', meta, chatId, {
    type,
    [type]: {
      id: mediaId,
      ...(media.caption !== null && type !== 'audio' && { caption: media.caption }),
      ...(type === 'document' && media.fileName !== null && { filename: media.fileName }),
    },
    biz_opaque_callback_data: send.messageId,
  });
  deps.log.debug('cloud.sent', `Sent ${media.kind} ${send.messageId} to ${chatId} as ${id}`, {
    ...meta,
    providerMessageId: id,
    mediaId,
  });
  return { providerMessageId: id };
}

async function sendList(deps: SenderDeps, chatId: string, list: OutboundList, send: SendOptions): Sent {
  deps.requests.requireOpen('send a list');
  const meta = { chatId, outboxId: send.messageId };
  const id = await post(deps, 'send a list', 'list', meta, chatId, {
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: list.body },
      action: { button: list.button, sections: [{ rows: list.rows }] },
    },
    biz_opaque_callback_data: send.messageId,
  });
  deps.log.debug('cloud.sent', `Sent list ${send.messageId} to ${chatId} as ${id}`, {
    ...meta,
    providerMessageId: id,
  });
  return { providerMessageId: id };
}

async function sendTemplate(
  deps: SenderDeps,
  chatId: string,
  template: TemplateToSend,
  send: SendOptions,
): Sent {
  deps.requests.requireOpen('send a template');
  const meta = { chatId, outboxId: send.messageId, template: template.name };
  const id = await post(deps, 'send a template', 'template', meta, chatId, {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(template.components !== undefined &&
        template.components.length > 0 && { components: template.components }),
    },
    biz_opaque_callback_data: send.messageId,
  });
  deps.log.info('cloud.template_sent', `Sent template ${template.name} to ${chatId} as ${id}`, {
    ...meta,
    providerMessageId: id,
  });
  return { providerMessageId: id };
}

async function sendTyping(deps: SenderDeps, chatId: string, state: 'composing' | 'paused'): Promise<void> {
  deps.requests.requireOpen('show typing');
  // No "stop typing" exists: the indicator ends with the reply or after 25 s.
  if (state === 'paused') return;
  const messageId = deps.lastInbound.get(chatId);
  if (messageId === undefined) {
    deps.log.debug('cloud.typing_skipped', `No message of ${chatId} to show typing on`, { chatId });
    return;
  }
  await deps.requests.request('show typing', { chatId }, () =>
    deps.graph.post(pathOf(deps), {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: messageId,
      typing_indicator: { type: 'text' },
    }),
  );
}

async function markRead(deps: SenderDeps, chatId: string, providerMessageIds: string[]): Promise<void> {
  deps.requests.requireOpen('mark messages read');
  // Marking a message read marks the earlier ones of the chat read too: one request is enough.
  const newest = providerMessageIds.at(-1);
  if (newest === undefined) return;
  deps.lastInbound.set(chatId, newest);
  await deps.requests.request('mark messages read', { chatId }, () =>
    deps.graph.post(pathOf(deps), { messaging_product: 'whatsapp', status: 'read', message_id: newest }),
  );
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
