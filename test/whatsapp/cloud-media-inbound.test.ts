// Media from customers through the whole core on the Cloud API, as media-inbound.test.ts does for
// Baileys: the local Graph API server posts signed webhooks to the core's own intake, the core fetches
// each file through the media endpoint (Meta's SHA-256 checked) and stores it by content hash; the
// thread shows every kind the way a Baileys one is shown, locations and contact cards included; the
// policy gives each message the same outcome (a caption is a question, the rest goes to a person, a
// sticker needs no answer).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreRuntime } from '../../src/core/handlers/index';
import { checkOutcomes } from '../../src/core/pipeline/outcome-check';
import type { E164, WorkspaceId } from '../../src/shared/types';
import type { GraphApiServer } from '../../src/simulator/graph-api/index';
import { cloudConnectInput, startCloudCore, type CloudCore } from './cloud-core';
import {
  commandCaller,
  createHarness,
  createQuietShop,
  dispositions,
  settledThread as settled,
  waitUntil,
  type Core,
  type Harness,
} from './harness';

const SHOP = '+2348090000072' as E164;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 9)]);
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(6000, 1)]);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(3000, 2)]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(5000, 3)]);
const PDF = Buffer.from('%PDF-1.4\nRice 65,000 a bag\n%%EOF\n');
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.alloc(4, 0),
  Buffer.from('WEBP'),
  Buffer.alloc(900, 4),
]);

let harness: Harness;
let core: Core;
let runtime: CoreRuntime;
let sim: GraphApiServer;
let cloud: CloudCore;
let workspaceId: WorkspaceId;
const call = commandCaller(() => runtime);

beforeAll(async () => {
  harness = await createHarness();
  ({ sim, core, runtime } = cloud = await startCloudCore(harness));
  const number = sim.addNumber({ phone: SHOP, verifiedName: 'Iya Basira Foods' });
  workspaceId = await createQuietShop(call, 'Iya Basira Foods');
  await call('faq.create', { workspaceId, question: 'How much is rice?', answer: 'Rice is 65,000 a bag.' });
  await call('cloud.connect', cloudConnectInput(sim, workspaceId, number, 'iya-basira-verify'));
  await waitUntil(
    async () => (await call('connection.list', { workspaceId })).every((s) => s.status === 'connected'),
    'the Cloud number connected',
  );
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  await harness?.cleanup();
}, 30_000);

const settledThread = (chatId: string, count: number) => settled(call, workspaceId, chatId, count);

describe('media from customers through the core (Cloud API)', () => {
  it('stores every kind by content hash and shows it, places and contact cards as Baileys shows them', async () => {
    const ada = sim.customer('+2348031240001', { name: 'Ada' });
    await ada.sendMedia(SHOP, { kind: 'image', bytes: JPEG, caption: 'How much is rice?' });
    await ada.sendMedia(SHOP, { kind: 'image', bytes: JPEG });
    await ada.sendMedia(SHOP, { kind: 'voice', bytes: OGG });
    await ada.sendMedia(SHOP, { kind: 'audio', bytes: MP3 });
    await ada.sendMedia(SHOP, { kind: 'video', bytes: MP4 });
    await ada.sendMedia(SHOP, { kind: 'document', bytes: PDF, filename: 'order.pdf' });
    await ada.sendMedia(SHOP, { kind: 'sticker', bytes: WEBP });
    await ada.sendLocation(SHOP, {
      latitude: 6.4531,
      longitude: 3.3958,
      name: 'Balogun Market',
      address: 'Balogun St, Lagos Island',
    });
    await ada.sendContacts(SHOP, [
      {
        name: { formatted_name: 'Tunde Bakare', first_name: 'Tunde' },
        phones: [
          { phone: '+234 803 111 0102', wa_id: '2348031110102', type: 'CELL' },
          { phone: '01 555 0100', type: 'WORK' },
        ],
      },
    ]);
    // A card without a WhatsApp id keeps the number as written; two cards name the second as "more".
    await ada.sendContacts(SHOP, [
      { name: { formatted_name: 'Mama Ngozi' }, phones: [{ phone: '0803 222 0303' }] },
      { name: { formatted_name: 'Emeka' } },
    ]);
    const messages = await settledThread(ada.address, 10);
    const states = messages.map((m) => `${m.media!.kind}:${m.media!.state}`).sort();
    expect(states).toEqual([
      'audio:stored',
      'contact:none',
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
    expect(of('voice')[0]!.media).toMatchObject({ mime: 'audio/ogg; codecs=opus', size: OGG.length });
    expect(of('audio')[0]!.media).toMatchObject({ mime: 'audio/mpeg', size: MP3.length });
    expect(of('document')[0]!.media).toMatchObject({ fileName: 'order.pdf', mime: 'application/pdf' });
    expect(of('location')[0]!.media!.location).toEqual({
      latitude: 6.4531,
      longitude: 3.3958,
      name: 'Balogun Market',
      address: 'Balogun St, Lagos Island',
    });
    expect(of('contact').map((m) => m.media!.contact)).toEqual(
      expect.arrayContaining([
        { name: 'Tunde Bakare', phone: '+2348031110102' },
        { name: 'Mama Ngozi and 1 more', phone: '0803 222 0303' },
      ]),
    );

    // Each file is the customer's bytes, read back through the contract and stored once by hash.
    for (const [kind, bytes] of [
      ['voice', OGG],
      ['audio', MP3],
      ['video', MP4],
      ['document', PDF],
      ['sticker', WEBP],
    ] as const) {
      const read = await call('media.read', { workspaceId, messageId: of(kind)[0]!.id });
      expect(Buffer.from(read.data, 'base64').equals(bytes), kind).toBe(true);
    }
    const hash = createHash('sha256').update(JPEG).digest('hex');
    expect(existsSync(join(harness.dataDir, 'media', hash.slice(0, 2), hash))).toBe(true);

    await waitUntil(() => ada.replies.some((r) => r.text === 'Rice is 65,000 a bag.'), 'the FAQ answer');
    const disposition = await dispositions(core, ada.address);
    expect(disposition(captioned.id)).toBe('answered');
    expect(disposition(of('sticker')[0]!.id)).toBe('left');
    expect(disposition(of('location')[0]!.id)).toBe('person');
    expect(disposition(of('contact')[0]!.id)).toBe('person');
    expect(disposition(of('voice')[0]!.id)).toBe('person');
    expect((await checkOutcomes(core.app.store.db, workspaceId, Date.now())).missing).toEqual([]);
  }, 60_000);

  it('keeps a place without coordinates as an unsupported message with an outcome, not dropped', async () => {
    const bola = sim.customer('+2348031240002');
    // Not something WhatsApp sends today, but a missing field must not drop a customer's message.
    await bola.sendLocation(SHOP, { name: 'Somewhere' } as unknown as {
      latitude: number;
      longitude: number;
    });
    let decided: { id: string; disposition: string | null } | undefined;
    await waitUntil(async () => {
      decided = await core.app.store.db
        .selectFrom('messages')
        .select(['id', 'disposition'])
        .where('chat_id', '=', bola.address)
        .executeTakeFirst();
      return decided?.disposition != null;
    }, 'the odd place recorded and decided');
    const [shown] = await settledThread(bola.address, 1);
    expect(shown).toMatchObject({ id: decided!.id, text: null });
    expect(shown!.media).toBeUndefined();
  }, 30_000);

  it("names the last message's kind in the chat list when it has no text (a sticker needs no answer)", async () => {
    const chidi = sim.customer('+2348031240003');
    await chidi.sendMedia(SHOP, { kind: 'sticker', bytes: WEBP });
    await settledThread(chidi.address, 1);
    const listed = (await call('conversation.list', { workspaceId, limit: 50 })).find(
      (c) => c.chatId === chidi.address,
    );
    expect(listed?.lastMessage).toMatchObject({ text: null, author: 'contact', media: 'sticker' });
  }, 30_000);
});
