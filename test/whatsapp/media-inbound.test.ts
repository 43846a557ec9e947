// Media from customers through the whole core: the real Baileys client against the local WhatsApp
// server's encrypted media, stored once under <dataDir>/media/ by content hash, shown in the thread,
// read back through the contract; an expired link is renewed by the customer's phone; a file over the
// cap or a broken host is recorded and Retry fetches it; the conversation policy still gives every
// message its outcome (a caption is a question, a bare photo goes to a person, a sticker is small talk).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import { checkOutcomes } from '../../src/core/pipeline/outcome-check';
import type { ThreadMessage } from '../../src/shared/contract';
import type { WorkspaceId } from '../../src/shared/types';
import {
  commandCaller,
  createHarness,
  createQuietShop,
  dispositions,
  linkNumber,
  settledThread as settled,
  waitUntil,
  type Core,
  type Harness,
} from './harness';

const SHOP = '+2348090000071';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 9)]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(6000, 1)]);
const PDF = Buffer.from('%PDF-1.4\nRice 65,000 a bag\n%%EOF\n');
const THUMB = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

let harness: Harness;
let core: Core;
let runtime: CoreRuntime;
let workspaceId: WorkspaceId;
const call = commandCaller(() => runtime);

beforeAll(async () => {
  harness = await createHarness();
  core = await harness.startCore();
  runtime = createCoreRuntime(core.app);
  await core.app.start();
  workspaceId = await createQuietShop(call, 'Iya Basira Foods', { media: { maxFileMb: 1 } });
  await call('faq.create', { workspaceId, question: 'How much is rice?', answer: 'Rice is 65,000 a bag.' });
  await linkNumber(harness, core, SHOP, { id: workspaceId });
}, 60_000);

afterAll(async () => {
  runtime?.close();
  await harness?.cleanup();
});

const settledThread = (chatId: string, count: number) => settled(call, workspaceId, chatId, count);

describe('media from customers through the core (Baileys)', () => {
  it('stores every kind once by content hash, shows it in the thread and reads it back', async () => {
    const ada = harness.server.contact('+2348031230001', { name: 'Ada' });
    await ada.sendMedia(SHOP, { kind: 'image', data: JPEG, caption: 'How much is rice?', thumbnail: THUMB });
    await ada.sendMedia(SHOP, { kind: 'image', data: JPEG });
    await ada.sendMedia(SHOP, { kind: 'voice', data: OGG, seconds: 7 });
    await ada.sendMedia(SHOP, { kind: 'audio', data: OGG, mimetype: 'audio/mpeg', seconds: 3 });
    await ada.sendMedia(SHOP, { kind: 'video', data: JPEG, seconds: 5, thumbnail: THUMB });
    await ada.sendMedia(SHOP, { kind: 'document', data: PDF, fileName: 'order.pdf' });
    await ada.sendMedia(SHOP, { kind: 'sticker', data: JPEG });
    await ada.sendMedia(SHOP, { kind: 'location', latitude: 6.45, longitude: 3.39, name: 'Balogun Market' });
    await ada.sendMedia(SHOP, {
      kind: 'contact',
      displayName: 'Tunde',
      vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Tunde\nTEL;waid=2348031110102:+234 803 111 0102\nEND:VCARD',
    });
    const messages = await settledThread(ada.pnJid, 9);
    // Messages of one batch share their stored time: find each by kind, not by position.
    const states = messages.map((m) => `${m.media!.kind}:${m.media!.state}`).sort();
    expect(states).toEqual([
      'audio:stored',
      'contact:none',
      'document:stored',
      'image:stored',
      'image:stored',
      'location:none',
      'sticker:stored',
      'video:stored',
      'voice:stored',
    ]);
    const of = (kind: string) => messages.filter((m) => m.media!.kind === kind);
    const captioned = of('image').find((m) => m.text !== null)!;
    expect(captioned).toMatchObject({ text: 'How much is rice?', media: { caption: 'How much is rice?' } });
    expect(captioned.media!.thumbnail).toBe(`data:image/jpeg;base64,${THUMB.toString('base64')}`);
    const voice = of('voice')[0]!;
    expect(voice.media).toMatchObject({
      mime: 'audio/ogg; codecs=opus',
      durationSeconds: 7,
      size: OGG.length,
    });
    const document = of('document')[0]!;
    expect(document.media).toMatchObject({ fileName: 'order.pdf', mime: 'application/pdf' });
    expect(of('location')[0]!.media!.location).toEqual({
      latitude: 6.45,
      longitude: 3.39,
      name: 'Balogun Market',
      address: null,
    });
    expect(of('contact')[0]!.media!.contact).toEqual({ name: 'Tunde', phone: '+2348031110102' });

    // The same photo twice is one file, named by its hash, whole, private to this user.
    const hash = createHash('sha256').update(JPEG).digest('hex');
    const path = join(harness.dataDir, 'media', hash.slice(0, 2), hash);
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).size).toBe(JPEG.length);
    expect(readdirSync(join(harness.dataDir, 'media', 'tmp'))).toEqual([]);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o077).toBe(0);

    const read = await call('media.read', { workspaceId, messageId: voice.id });
    expect(Buffer.from(read.data, 'base64')).toEqual(OGG);
    expect(read.mime).toBe('audio/ogg; codecs=opus');
    const doc = await call('media.read', { workspaceId, messageId: document.id });
    expect(doc).toMatchObject({ fileName: 'order.pdf', data: PDF.toString('base64') });

    // The caption is a question the bot answers; the bare photo, voice note, audio, video, document,
    // location and contact card go to a person; the sticker needs no answer.
    await waitUntil(() => ada.replies.some((r) => r.text === 'Rice is 65,000 a bag.'), 'the FAQ answer');
    const disposition = await dispositions(core, ada.pnJid);
    expect(disposition(captioned.id)).toBe('answered');
    expect(disposition(of('sticker')[0]!.id)).toBe('left');
    expect(disposition(voice.id)).toBe('person');
    expect((await checkOutcomes(core.app.store.db, workspaceId, Date.now())).missing).toEqual([]);
  }, 60_000);

  it('renews an expired link through the customer phone, once', async () => {
    const bola = harness.server.contact('+2348031230002');
    const id = await bola.sendMedia(SHOP, { kind: 'document', data: PDF, fileName: 'receipt.pdf' });
    // Expired before the core gets to it: the first download answers 404.
    harness.server.media.expire(bola.mediaPath(id)!);
    const [message] = await settledThread(bola.pnJid, 1);
    expect(message!.media).toMatchObject({ state: 'stored', fileName: 'receipt.pdf' });
    const stored = await core.app.store.db
      .selectFrom('message_media')
      .select('ref')
      .where('message_id', '=', message!.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.ref!)).toMatchObject({ directPath: bola.mediaPath(id) });
  }, 30_000);

  it('records a file over the cap and a failed download with the reason; Retry fetches them', async () => {
    const chi = harness.server.contact('+2348031230003');
    const big = Buffer.alloc(1024 * 1024 + 10, 5);
    await chi.sendMedia(SHOP, { kind: 'video', data: big, seconds: 30 });
    const [tooLarge] = await settledThread(chi.pnJid, 1);
    expect(tooLarge!.media).toMatchObject({ state: 'too-large' });
    expect(tooLarge!.media!.error).toMatch(/over the 1048576-byte limit/);
    await expect(call('media.read', { workspaceId, messageId: tooLarge!.id })).rejects.toThrow(/limit/);

    harness.server.media.refuseDownloads(1);
    await chi.sendMedia(SHOP, { kind: 'image', data: THUMB });
    let failed: ThreadMessage | undefined;
    await waitUntil(async () => {
      failed = (await settledThread(chi.pnJid, 2))[1];
      return failed?.media?.state === 'failed';
    }, 'the failed download');
    expect(failed!.media!.error).toMatch(/HTTP 500/);

    // Retry: the failed one downloads now; the too-large one is fetched past the per-file cap, by choice.
    expect(await call('media.retry', { workspaceId, messageId: failed!.id })).toEqual({ state: 'pending' });
    expect(await call('media.retry', { workspaceId, messageId: tooLarge!.id })).toEqual({ state: 'pending' });
    const after = await settledThread(chi.pnJid, 2);
    expect(after.map((m) => m.media!.state)).toEqual(['stored', 'stored']);
    const video = await call('media.read', { workspaceId, messageId: tooLarge!.id });
    expect(Buffer.from(video.data, 'base64').equals(big)).toBe(true);
    // Nothing to retry for a stored file; a message of another workspace or none at all is refused.
    expect(await call('media.retry', { workspaceId, messageId: failed!.id })).toEqual({ state: 'stored' });
    await expect(call('media.read', { workspaceId, messageId: 'no-such-message' })).rejects.toThrow(
      /no file/,
    );
    await expect(call('media.read', { workspaceId, messageId: '' })).rejects.toThrow(/messageId is required/);
  }, 60_000);
});
