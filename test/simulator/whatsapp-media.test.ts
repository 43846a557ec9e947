// The local WhatsApp server's media, end to end with the real, unmodified Baileys rc14 client: files a
// customer sends are encrypted and hosted on the server's HTTPS media host, files the business sends
// are uploaded there by Baileys and decrypted by the customer's phone, and an expired link is uploaded
// again when the client asks (updateMediaMessage).
import { Agent, request } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMessageContent, type proto, type WAMessage } from '@whiskeysockets/baileys';
import {
  downloadUrlOf,
  fetchEncrypted,
  openWhatsAppMedia,
  type WhatsAppMediaRef,
} from '../../src/core/whatsapp/baileys/media-download';
import { startWhatsAppServer, trustSimulator, type WhatsAppServer } from '../../src/simulator/index';
import { MemoryAuth, TestClient } from './baileys-client';

let server: WhatsAppServer;
let agent: Agent;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startWhatsAppServer();
  trustSimulator(server);
  agent = new Agent({ ca: server.mediaCa, keepAlive: false });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end()));
});

afterAll(async () => {
  agent?.destroy();
  await server?.stop();
});

async function pair(phone: string): Promise<TestClient> {
  const auth = new MemoryAuth();
  const first = new TestClient(server.url, auth, { fetchAgent: agent });
  clients.push(first);
  await server.scanQr(await first.waitForQr(), phone);
  await first.waitForClose();
  const second = new TestClient(server.url, auth, { fetchAgent: agent });
  clients.push(second);
  await second.waitForOpen();
  return second;
}

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 7)]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(5000, 3)]);
const PDF = Buffer.from('%PDF-1.4\nprice list: rice 65,000 a bag\n%%EOF\n');

type FileKind = 'imageMessage' | 'videoMessage' | 'audioMessage' | 'documentMessage' | 'stickerMessage';

function refOf(message: WAMessage, key: FileKind): WhatsAppMediaRef {
  const content = normalizeMessageContent(message.message)![key] as proto.Message.IImageMessage &
    proto.Message.IDocumentMessage;
  const b64 = (v: Uint8Array | null | undefined) => (v ? Buffer.from(v).toString('base64') : null);
  const type = ({ imageMessage: 'image', videoMessage: 'video', audioMessage: 'audio' } as const)[
    key as 'imageMessage'
  ];
  return {
    v: 1,
    type: type ?? (key === 'documentMessage' ? 'document' : 'sticker'),
    directPath: content.directPath ?? null,
    url: content.url ?? null,
    mediaKey: b64(content.mediaKey)!,
    fileSha256: b64(content.fileSha256),
    fileEncSha256: b64(content.fileEncSha256),
    fileLength: content.fileLength == null ? null : Number(content.fileLength),
    key: { remoteJid: message.key.remoteJid!, id: message.key.id!, fromMe: false },
  };
}

async function download(ref: WhatsAppMediaRef): Promise<Buffer> {
  const url = downloadUrlOf(ref, server.media.hostname);
  const file = await fetchEncrypted(url, { agent, maxBytes: 1_000_000 });
  return openWhatsAppMedia(file, ref);
}

describe('media from customers', () => {
  it('hosts every kind a customer sends, encrypted, and the client opens each with its hashes checked', async () => {
    const biz = '+2348020000101';
    const c = await pair(biz);
    const ada = server.contact('+2348031110101', { name: 'Ada' });
    const ids = {
      photo: await ada.sendMedia(biz, { kind: 'image', data: JPEG, caption: 'I have paid' }),
      bare: await ada.sendMedia(biz, { kind: 'image', data: JPEG }),
      voice: await ada.sendMedia(biz, { kind: 'voice', data: OGG, seconds: 4 }),
      audio: await ada.sendMedia(biz, { kind: 'audio', data: OGG, mimetype: 'audio/mpeg' }),
      video: await ada.sendMedia(biz, { kind: 'video', data: JPEG, seconds: 2 }),
      doc: await ada.sendMedia(biz, { kind: 'document', data: PDF, fileName: 'receipt.pdf' }),
      sticker: await ada.sendMedia(biz, { kind: 'sticker', data: JPEG }),
      place: await ada.sendMedia(biz, {
        kind: 'location',
        latitude: 6.4541,
        longitude: 3.3947,
        name: 'Shop',
      }),
      card: await ada.sendMedia(biz, {
        kind: 'contact',
        displayName: 'Tunde',
        vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Tunde\nTEL;waid=2348031110102:+234 803 111 0102\nEND:VCARD',
      }),
    };
    const messages = await c.waitForMessages(Object.keys(ids).length, 'notify');
    const byId = (id: string) => messages.find((m) => m.key.id === id)!;
    const content = (id: string) => normalizeMessageContent(byId(id).message)!;

    expect(content(ids.photo).imageMessage?.caption).toBe('I have paid');
    expect(await download(refOf(byId(ids.photo), 'imageMessage'))).toEqual(JPEG);
    expect(await download(refOf(byId(ids.bare), 'imageMessage'))).toEqual(JPEG);
    expect(content(ids.voice).audioMessage).toMatchObject({
      ptt: true,
      mimetype: 'audio/ogg; codecs=opus',
      seconds: 4,
    });
    expect(await download(refOf(byId(ids.voice), 'audioMessage'))).toEqual(OGG);
    expect(content(ids.audio).audioMessage?.ptt).toBe(false);
    expect(await download(refOf(byId(ids.audio), 'audioMessage'))).toEqual(OGG);
    expect(await download(refOf(byId(ids.video), 'videoMessage'))).toEqual(JPEG);
    expect(content(ids.doc).documentMessage?.fileName).toBe('receipt.pdf');
    expect(await download(refOf(byId(ids.doc), 'documentMessage'))).toEqual(PDF);
    expect(await download(refOf(byId(ids.sticker), 'stickerMessage'))).toEqual(JPEG);
    expect(content(ids.place).locationMessage).toMatchObject({ degreesLatitude: 6.4541, name: 'Shop' });
    expect(content(ids.card).contactMessage?.vcard).toContain('FN:Tunde');
  });

  it('refuses a tampered file, and a key of the wrong type, with a clear error', async () => {
    const biz = '+2348020000102';
    const c = await pair(biz);
    const bola = server.contact('+2348031110103');
    const id = await bola.sendMedia(biz, { kind: 'document', data: PDF, fileName: 'list.pdf' });
    const [message] = await c.waitForMessages(1, 'notify');
    const ref = refOf(message!, 'documentMessage');
    const file = server.media.file(ref.directPath!)!;
    file[0] = file[0]! ^ 1; // one flipped bit on the host
    await expect(download(ref)).rejects.toThrow(/damaged: its encrypted hash does not match/);
    await expect(openWhatsAppMedia(file, { ...ref, fileEncSha256: null })).rejects.toThrow(/MAC/);
    file[0] = file[0] ^ 1;
    await expect(openWhatsAppMedia(file, { ...ref, type: 'image' })).rejects.toThrow(/MAC/);
    expect(await download(ref)).toEqual(PDF);
    expect(bola.mediaPath(id)).toBe(ref.directPath);
  });

  it('answers 404 for an expired link; the phone uploads it again when the client asks (updateMediaMessage)', async () => {
    const biz = '+2348020000103';
    const c = await pair(biz);
    const chi = server.contact('+2348031110104');
    const id = await chi.sendMedia(biz, { kind: 'image', data: JPEG, caption: 'this one' });
    const [message] = await c.waitForMessages(1, 'notify');
    const before = refOf(message!, 'imageMessage');
    server.media.expire(before.directPath!);
    await expect(download(before)).rejects.toMatchObject({ reason: 'expired' });

    const updated = await c.sock.updateMediaMessage(message!);
    const after = refOf(updated, 'imageMessage');
    expect(after.directPath).not.toBe(before.directPath);
    expect(after.directPath).toBe(chi.mediaPath(id));
    expect(await download(after)).toEqual(JPEG);
  });

  it('says not found when asked to re-upload a file the phone never sent', async () => {
    const biz = '+2348020000104';
    const c = await pair(biz);
    const dayo = server.contact('+2348031110105');
    await dayo.sendMedia(biz, { kind: 'image', data: JPEG });
    const [message] = await c.waitForMessages(1, 'notify');
    const unknown = { ...message!, key: { ...message!.key, id: '3EB0NEVERSENT' } };
    await expect(c.sock.updateMediaMessage(unknown)).rejects.toThrow(/re-upload/i);
  });
});

describe('media from the business', () => {
  it('takes Baileys uploads on the media host and the customer decrypts photo, document and voice note', async () => {
    const biz = '+2348020000105';
    const c = await pair(biz);
    const efe = server.contact('+2348031110106');
    const thumbnail = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    await c.sock.sendMessage(efe.pnJid, {
      image: JPEG,
      caption: 'Our menu',
      jpegThumbnail: thumbnail,
    } as never);
    await c.sock.sendMessage(efe.pnJid, {
      document: PDF,
      mimetype: 'application/pdf',
      fileName: 'price-list.pdf',
    });
    await c.sock.sendMessage(efe.pnJid, {
      audio: OGG,
      mimetype: 'audio/ogg; codecs=opus',
      ptt: true,
      seconds: 3,
      waveform: new Uint8Array(64),
    } as never);
    const replies = await efe.waitForReplies(3, 10_000);
    expect(replies.map((r) => r.media?.error)).toEqual([undefined, undefined, undefined]);
    expect(replies[0]).toMatchObject({ text: 'Our menu', media: { kind: 'image', data: JPEG } });
    expect(replies[1]!.media).toMatchObject({ kind: 'document', fileName: 'price-list.pdf', data: PDF });
    expect(replies[2]!.media).toMatchObject({ kind: 'voice', mimetype: 'audio/ogg; codecs=opus', data: OGG });
    expect(server.media.uploads.map((u) => u.type)).toEqual(['image', 'document', 'audio']);
  });

  it('refuses an upload with the wrong auth token or bytes that do not match the token', async () => {
    const url = `https://${server.media.hostname}/mms/image/AAAA?auth=wrong&token=AAAA`;
    const post = (target: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(target, { method: 'POST', agent }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('not the file');
      });
    expect(await post(url)).toBe(401);
    expect(await post(url.replace('auth=wrong', `auth=${server.media.auth}`))).toBe(400);
  });
});
