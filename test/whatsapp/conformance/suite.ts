// One test suite for every WhatsAppProvider (the BullMQ habit in style-by-example.md): the behaviours
// the rest of Switchboard relies on, checked through the real core (createSwitchboard: connection
// manager, supervisor, pipeline, FAQ bot, SQLite) against each provider's local server. A third
// provider only has to supply a ConformanceTarget and pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFaqRepository } from '../../../src/core/store/repositories/faqs';
import type { E164, ProviderKind, WorkspaceId } from '../../../src/shared/types';
import { createHash } from 'node:crypto';
import { createCoreRuntime } from '../../../src/core/handlers/index';
import { UPLOAD_CHUNK_BYTES } from '../../../src/shared/media-send-contract';
import { commandCaller, isQr, type Core } from '../harness';

export const SHOP = '+2348090000001' as E164;
export const QUESTION = 'What are your opening hours?';
export const ANSWER = 'We are open 8am to 6pm, Monday to Saturday.';

export interface ConformanceShop {
  workspaceId: WorkspaceId;
  phoneNumberId: string;
  e164: E164;
}

export interface ConformanceCustomer {
  readonly phone: string;
  /** Writes to the shop; resolves with the provider's message id. */
  send(text: string): Promise<string>;
  /** Sends a photo (with a caption when given); resolves with the provider's message id. */
  sendPhoto(bytes: Buffer, caption?: string): Promise<string>;
  /** WhatsApp delivers that message again, with the same id. */
  redeliver(id: string, text: string): Promise<void>;
  /** What their phone shows from the shop: one entry per distinct message. */
  replies(): { id: string; text: string }[];
  /** Files their phone received from the shop, decrypted and checked, one per distinct message. */
  files(): ReceivedFile[];
  waitForReplies(count: number, timeoutMs?: number): Promise<void>;
}

/** A file as the customer's phone got it; a voice note counts as audio (the Cloud API has no ptt). */
export interface ReceivedFile {
  kind: 'image' | 'document' | 'audio';
  data: Buffer;
  caption: string | null;
  fileName: string | null;
}

export interface ConformanceEnv {
  /** A core whose numbers use this provider, on this environment's one data folder. */
  startCore(): Promise<Core>;
  /** Adds SHOP to the workspace and connects it the first time, as the owner would (QR, token check). */
  link(core: Core, workspaceId: WorkspaceId): Promise<ConformanceShop>;
  customer(phone: string): ConformanceCustomer;
  /** The next send to this customer fails the way this provider's server fails a send. */
  failNextSend(phone: string, kind: 'transient' | 'permanent'): void;
  /** The next file upload fails the way this provider's media host fails for a moment. */
  failNextUpload(): void;
  /** Send requests the server got for this customer, when it can tell. */
  sendAttempts?(phone: string): number;
  cleanup(): Promise<void>;
}

export interface ConformanceTarget {
  kind: ProviderKind;
  create(): Promise<ConformanceEnv>;
}

async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 7)]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(6000, 3)]);

/** A shop answering one FAQ at once: no greeting, no flood guard, no pacing, quick retries. */
async function createShopWorkspace(core: Core): Promise<WorkspaceId> {
  const ws = await core.app.workspaces.create({ name: 'Mama Put Kitchen' });
  await core.app.workspaces.updateSettings(ws.id, {
    greeting: { enabled: false },
    floodGuard: { enabled: false },
    pacing: { enabled: false, retryBaseMs: 100, retryMaxMs: 200, maxAttempts: 5 },
  });
  await core.app.store.transaction(async (trx) => {
    await createFaqRepository(trx, () => 'phrasing-1').create(
      ws.id,
      'faq-hours',
      { question: QUESTION, answer: ANSWER, phrasings: [QUESTION], enabled: true },
      Date.now(),
    );
  });
  return ws.id;
}

function rows(core: Core) {
  const db = core.app.store.db;
  return {
    inbound: (providerMessageId: string) =>
      db
        .selectFrom('messages')
        .selectAll()
        .where('direction', '=', 'in')
        .where('provider_message_id', '=', providerMessageId)
        .execute(),
    outbound: () =>
      db.selectFrom('messages').selectAll().where('direction', '=', 'out').orderBy('created_at').execute(),
    outbox: () => db.selectFrom('outbox').selectAll().orderBy('seq').execute(),
  };
}

/**
 * Uploads a file through the media commands as the app does: start, every piece at its offset, then the
 * SHA-256 of the whole; returns the upload id for `conversation.sendMedia` or `faq.attach`.
 */
async function uploadFile(
  call: ReturnType<typeof commandCaller>,
  workspaceId: string,
  file: { fileName: string; mime: string; data: Buffer },
): Promise<string> {
  const started = await call('media.uploadStart', {
    workspaceId,
    fileName: file.fileName,
    mime: file.mime,
    size: file.data.length,
  });
  for (let offset = 0; offset < file.data.length; offset += started.chunkBytes) {
    const piece = file.data.subarray(offset, offset + started.chunkBytes).toString('base64');
    await call('media.uploadChunk', { workspaceId, uploadId: started.uploadId, offset, data: piece });
  }
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  await call('media.uploadFinish', { workspaceId, uploadId: started.uploadId, sha256 });
  return started.uploadId;
}

export function describeProviderConformance(target: ConformanceTarget): void {
  describe(`WhatsAppProvider conformance: ${target.kind}`, () => {
    let env: ConformanceEnv;
    beforeEach(async () => {
      env = await target.create();
    });
    afterEach(async () => {
      await env.cleanup();
    }, 60_000);

    async function connectedShop(): Promise<{ core: Core; shop: ConformanceShop }> {
      const core = await env.startCore();
      await core.app.start(); // the pipeline listens before the number connects
      const workspaceId = await createShopWorkspace(core);
      const shop = await env.link(core, workspaceId);
      return { core, shop };
    }

    it('connects, and the number is connected under its own number', async () => {
      const { core, shop } = await connectedShop();
      expect(core.app.connections.state(shop.e164)?.status).toBe('connected');
      const provider = core.app.connections.provider(shop.workspaceId, shop.e164);
      expect(provider.kind).toBe(target.kind);
      expect(provider.ownNumber()).toBe(SHOP);
      // The stored status follows the live one (written after the event, on a busy machine a moment later).
      await waitUntil(
        async () => (await core.app.workspaces.listNumbers(shop.workspaceId))[0]?.status === 'connected',
        'the stored status to say connected',
      );
    });

    it('receives a message once, even when WhatsApp delivers it again', async () => {
      const { core } = await connectedShop();
      const ada = env.customer('+2348031234567');
      const id = await ada.send(QUESTION);
      await ada.waitForReplies(1);
      await ada.redeliver(id, QUESTION);
      await ada.redeliver(id, QUESTION);
      await pause(700); // room for a second answer to show up
      expect(await rows(core).inbound(id)).toHaveLength(1);
      expect(ada.replies()).toHaveLength(1);
    });

    it('replies: the customer gets the answer, recorded under the id the provider gave it', async () => {
      const { core } = await connectedShop();
      const ada = env.customer('+2348031234567');
      await ada.send(QUESTION);
      await ada.waitForReplies(1);
      expect(ada.replies()[0]!.text).toBe(ANSWER);
      await waitUntil(
        async () => (await rows(core).outbound())[0]?.provider_message_id === ada.replies()[0]!.id,
        'the reply recorded with its provider id',
      );
    });

    it('reports delivery statuses: the reply is marked delivered (or read)', async () => {
      const { core } = await connectedShop();
      const ada = env.customer('+2348031234567');
      await ada.send(QUESTION);
      await ada.waitForReplies(1);
      await waitUntil(
        async () => ['delivered', 'read'].includes((await rows(core).outbound())[0]?.status ?? ''),
        'a delivered status',
      );
    });

    it('retries a transient send error: the reply arrives once, on the second attempt', async () => {
      const { core } = await connectedShop();
      const ada = env.customer('+2348031234567');
      env.failNextSend(ada.phone, 'transient');
      await ada.send(QUESTION);
      await ada.waitForReplies(1, 10_000);
      await pause(300);
      expect(ada.replies()).toHaveLength(1);
      const [row] = await rows(core).outbox();
      expect(row).toMatchObject({ status: 'sent', attempts: 2 }); // attempts count every try
      if (env.sendAttempts !== undefined) expect(env.sendAttempts(ada.phone)).toBe(2);
    });

    it('does not retry a permanent send error: the reply is marked failed and never arrives', async () => {
      const { core } = await connectedShop();
      const ada = env.customer('+2348031234567');
      env.failNextSend(ada.phone, 'permanent');
      await ada.send(QUESTION);
      await waitUntil(async () => (await rows(core).outbound())[0]?.status === 'failed', 'the failed reply');
      await pause(800); // several retry delays (100-200 ms): a retry would have happened by now
      expect(ada.replies()).toHaveLength(0);
      const outbox = await rows(core).outbox();
      expect(outbox).toHaveLength(1);
      expect(['sent', 'failed']).toContain(outbox[0]!.status);
      expect((await rows(core).outbound())[0]!.status).toBe('failed');
      if (env.sendAttempts !== undefined) expect(env.sendAttempts(ada.phone)).toBe(1);
    });

    it('restarts from stored credentials with no pairing, and answers what arrived meanwhile', async () => {
      const first = await connectedShop();
      await first.core.close();
      const ada = env.customer('+2348031234567');
      const id = await ada.send(QUESTION); // while the shop's PC is off
      const again = await env.startCore();
      await again.app.start();
      await again.waitForStatus(SHOP, 'connected');
      await ada.waitForReplies(1, 20_000);
      expect(ada.replies()[0]!.text).toBe(ANSWER);
      expect(again.events.some(isQr)).toBe(false);
      expect(await rows(again).inbound(id)).toHaveLength(1);
    });

    it('downloads a photo once, stores it by content hash, and answers its caption as a question', async () => {
      const { core, shop } = await connectedShop();
      const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 3)]);
      const customer = env.customer('+2348031239401');
      const id = await customer.sendPhoto(photo, QUESTION);
      const bare = await customer.sendPhoto(photo);
      const media = (providerMessageId: string) =>
        core.app.store.db
          .selectFrom('message_media')
          .innerJoin('messages', 'messages.id', 'message_media.message_id')
          .select(['message_media.state', 'message_media.sha256', 'message_media.kind', 'messages.text'])
          .where('messages.provider_message_id', '=', providerMessageId)
          .executeTakeFirst();
      await waitUntil(
        async () => (await media(id))?.state === 'stored' && (await media(bare))?.state === 'stored',
        'both photos to be stored',
      );
      const stored = await media(id);
      expect(stored).toMatchObject({ kind: 'image', text: QUESTION });
      expect(stored!.sha256).toBe((await media(bare))!.sha256);
      expect(await core.app.media.files.read(stored!.sha256!)).toEqual(photo);
      // The caption is answered; the photo without one goes to a person (the hand-off notice).
      await customer.waitForReplies(2);
      expect(customer.replies().map((r) => r.text)).toContain(ANSWER);
      expect(customer.replies()).toHaveLength(2);
      expect(shop.e164).toBe(SHOP);
    });

    it('sends the owner’s photo, document and voice note: uploaded in pieces, each arrives whole and once', async () => {
      const { core } = await connectedShop();
      const runtime = createCoreRuntime(core.app);
      const call = commandCaller(() => runtime);
      try {
        const ada = env.customer('+2348031239402');
        await ada.send(QUESTION);
        await ada.waitForReplies(1);
        const [inbound] = await core.app.store.db
          .selectFrom('messages')
          .select(['chat_id', 'workspace_id'])
          .where('direction', '=', 'in')
          .execute();
        const ref = { workspaceId: inbound!.workspace_id, chatId: inbound!.chat_id };
        // The document is over one upload piece, so it travels in three.
        const pdf = Buffer.concat([
          Buffer.from('%PDF-1.4\nRice 65,000 a bag\n'),
          Buffer.alloc(UPLOAD_CHUNK_BYTES * 2 + 99, 0x20),
        ]);
        const files = [
          { fileName: 'menu.jpg', mime: 'image/jpeg', data: JPEG, caption: 'Our menu' },
          { fileName: 'price-list.pdf', mime: 'application/pdf', data: pdf, caption: 'Prices this week' },
          { fileName: 'voice-note.ogg', mime: 'audio/ogg', data: OGG, caption: '' },
        ];
        const sent: string[] = [];
        for (const file of files) {
          const uploadId = await uploadFile(call, ref.workspaceId, file);
          const queued = await call('conversation.sendMedia', { ...ref, uploadId, caption: file.caption });
          sent.push(queued.messageId);
        }
        await ada.waitForReplies(1 + files.length, 30_000);
        await waitUntil(() => ada.files().length === files.length, 'three files on the phone');
        await pause(500); // room for a second copy to show up
        expect(ada.files()).toEqual([
          { kind: 'image', data: JPEG, caption: 'Our menu', fileName: null },
          { kind: 'document', data: pdf, caption: 'Prices this week', fileName: 'price-list.pdf' },
          { kind: 'audio', data: OGG, caption: null, fileName: null },
        ]);
        const outbox = (await rows(core).outbox()).filter((r) => sent.includes(r.id));
        expect(outbox.map((r) => [r.status, r.attempts, r.media_kind])).toEqual([
          ['sent', 1, 'image'],
          ['sent', 1, 'document'],
          ['sent', 1, 'voice'],
        ]);
        // The thread shows them as the owner's, with their ticks.
        const thread = await call('conversation.thread', ref);
        const mine = thread.messages.filter((m) => sent.includes(m.id));
        expect(mine.map((m) => [m.author, m.media?.kind, m.media?.state, m.text])).toEqual([
          ['owner', 'image', 'stored', 'Our menu'],
          ['owner', 'document', 'stored', 'Prices this week'],
          ['owner', 'voice', 'stored', null],
        ]);
        await waitUntil(
          async () =>
            (await call('conversation.thread', ref)).messages
              .filter((m) => sent.includes(m.id))
              .every((m) => m.status === 'delivered' || m.status === 'read'),
          'delivered ticks on the three files',
        );
      } finally {
        runtime.close();
      }
    }, 90_000); // three uploads in pieces over the real client: slow on a loaded 2-core machine

    it('answers with an FAQ that carries a document: the file goes with the answer as its caption', async () => {
      const { core, shop } = await connectedShop();
      const runtime = createCoreRuntime(core.app);
      const call = commandCaller(() => runtime);
      try {
        const menu = Buffer.from('%PDF-1.4\nJollof rice 2,500; fried rice 2,800\n%%EOF\n');
        const w = { workspaceId: shop.workspaceId };
        const uploadId = await uploadFile(call, w.workspaceId, {
          fileName: 'menu.pdf',
          mime: '',
          data: menu,
        });
        await call('faq.attach', { ...w, faqId: 'faq-hours', uploadId });
        expect(await call('faq.attachment', { ...w, faqId: 'faq-hours' })).toEqual({
          faqId: 'faq-hours',
          kind: 'document',
          mime: 'application/pdf',
          fileName: 'menu.pdf',
          size: menu.length,
        });
        const ada = env.customer('+2348031239403');
        await ada.send(QUESTION);
        await ada.waitForReplies(1, 20_000);
        await waitUntil(() => ada.files().length === 1, 'the menu on the phone');
        await pause(300);
        expect(ada.files()).toEqual([
          { kind: 'document', data: menu, caption: ANSWER, fileName: 'menu.pdf' },
        ]);
        expect(ada.replies()).toHaveLength(1);
      } finally {
        runtime.close();
      }
    });

    it('retries a file whose upload failed: it arrives once, on the second attempt', async () => {
      const { core, shop } = await connectedShop();
      const runtime = createCoreRuntime(core.app);
      const call = commandCaller(() => runtime);
      try {
        const ada = env.customer('+2348031239404');
        await ada.send(QUESTION);
        await ada.waitForReplies(1);
        const w = { workspaceId: shop.workspaceId };
        const uploadId = await uploadFile(call, w.workspaceId, {
          fileName: 'shop.jpg',
          mime: 'image/jpeg',
          data: JPEG,
        });
        env.failNextUpload();
        const { chat_id: chatId } = await core.app.store.db
          .selectFrom('messages')
          .select('chat_id')
          .where('direction', '=', 'in')
          .executeTakeFirstOrThrow();
        const { messageId } = await call('conversation.sendMedia', {
          ...w,
          chatId,
          uploadId,
          caption: 'Our shop',
        });
        await waitUntil(() => ada.files().length === 1, 'the photo on the phone', 20_000);
        await pause(500);
        expect(ada.files()).toEqual([{ kind: 'image', data: JPEG, caption: 'Our shop', fileName: null }]);
        const row = (await rows(core).outbox()).find((r) => r.id === messageId);
        expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      } finally {
        runtime.close();
      }
    });

    it('a file queued while the number is off survives a restart and goes once', async () => {
      const first = await connectedShop();
      const ada = env.customer('+2348031239405');
      await ada.send(QUESTION);
      await ada.waitForReplies(1);
      const runtime = createCoreRuntime(first.core.app);
      const call = commandCaller(() => runtime);
      const w = { workspaceId: first.shop.workspaceId };
      const { chat_id: chatId } = await first.core.app.store.db
        .selectFrom('messages')
        .select('chat_id')
        .where('direction', '=', 'in')
        .executeTakeFirstOrThrow();
      await first.core.app.connections.stop(first.shop.workspaceId, SHOP, 'test: the number is off');
      const uploadId = await uploadFile(call, w.workspaceId, {
        fileName: 'receipt.jpg',
        mime: '',
        data: JPEG,
      });
      const { messageId } = await call('conversation.sendMedia', {
        ...w,
        chatId,
        uploadId,
        caption: 'Your receipt',
      });
      runtime.close();
      await pause(300);
      expect(ada.files()).toEqual([]);
      await first.core.close();

      const again = await env.startCore();
      await again.app.start();
      await again.waitForStatus(SHOP, 'connected');
      await waitUntil(() => ada.files().length === 1, 'the receipt on the phone after the restart', 20_000);
      await pause(500);
      expect(ada.files()).toEqual([{ kind: 'image', data: JPEG, caption: 'Your receipt', fileName: null }]);
      const row = (await rows(again).outbox()).find((r) => r.id === messageId);
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    });
  });
}
