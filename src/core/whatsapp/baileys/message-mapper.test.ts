import { proto, type WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import type { E164 } from '../../../shared/types';
import { mapBaileysMessage, type MappedMessage } from './message-mapper';

const BIZ = '+2348090000001' as E164;
const ctx = { businessNumber: BIZ, offline: false, now: 1_000 };
const msg = (
  key: Partial<WAMessage['key']>,
  message: proto.IMessage | null,
  extra: Partial<WAMessage> = {},
): WAMessage => ({
  key: { remoteJid: '2348031234567@s.whatsapp.net', id: 'ID1', fromMe: false, ...key },
  message,
  messageTimestamp: 1_700_000_000,
  pushName: 'Emeka',
  ...extra,
});
const inbound = (m: MappedMessage) => {
  if (m.kind !== 'inbound') throw new Error(`expected inbound, got ${JSON.stringify(m)}`);
  return m.message;
};

describe('mapBaileysMessage', () => {
  const texts: [string, proto.IMessage, string][] = [
    ['conversation', { conversation: 'How much be rice?' }, 'How much be rice?'],
    ['extended text', { extendedTextMessage: { text: 'Una dey open?' } }, 'Una dey open?'],
    ['image caption', { imageMessage: { caption: 'This one, how much?' } }, 'This one, how much?'],
    ['video caption', { videoMessage: { caption: 'see' } }, 'see'],
    ['document caption', { documentMessage: { caption: 'invoice' } }, 'invoice'],
    ['button reply', { buttonsResponseMessage: { selectedDisplayText: 'Delivery' } }, 'Delivery'],
    ['list reply', { listResponseMessage: { title: 'Jollof rice' } }, 'Jollof rice'],
    [
      'ephemeral wrapper',
      { ephemeralMessage: { message: { conversation: 'disappearing' } } },
      'disappearing',
    ],
    ['view-once wrapper', { viewOnceMessageV2: { message: { imageMessage: { caption: 'once' } } } }, 'once'],
  ];
  for (const [label, content, expected] of texts) {
    it(`reads text from ${label}`, () => {
      expect(inbound(mapBaileysMessage(msg({}, content), ctx)).text).toBe(expected);
    });
  }

  it('maps a direct message from a phone JID', () => {
    const m = inbound(mapBaileysMessage(msg({}, { conversation: 'hi' }), { ...ctx, offline: true }));
    expect(m).toEqual({
      businessNumber: BIZ,
      providerMessageId: 'ID1',
      chatId: '2348031234567@s.whatsapp.net',
      chatKind: 'direct',
      sender: { phone: '+2348031234567', waId: '2348031234567@s.whatsapp.net', name: 'Emeka' },
      kind: 'text',
      text: 'hi',
      timestamp: 1_700_000_000_000,
      offline: true,
      quotedId: null,
    });
  });

  it('keys a LID sender by the phone number in the alt JID: the same chat as writing by phone number', () => {
    const m = inbound(
      mapBaileysMessage(
        msg(
          { remoteJid: '123456789012345@lid', remoteJidAlt: '2348031234567:3@s.whatsapp.net' },
          { conversation: 'hi' },
        ),
        ctx,
      ),
    );
    expect(m.chatId).toBe('2348031234567@s.whatsapp.net');
    expect(m.sender).toMatchObject({ phone: '+2348031234567', waId: '123456789012345@lid' });
  });

  it('keys a LID sender without an alt JID by the phone number learnt before, else by the LID', () => {
    const known = (lid: string) =>
      lid === '123456789012345@lid' ? '2348031234567@s.whatsapp.net' : undefined;
    const m = inbound(
      mapBaileysMessage(msg({ remoteJid: '123456789012345@lid' }, { conversation: 'hi' }), {
        ...ctx,
        phoneJidOf: known,
      }),
    );
    expect(m.chatId).toBe('2348031234567@s.whatsapp.net');
    expect(m.sender.phone).toBe('+2348031234567');
    const stranger = inbound(
      mapBaileysMessage(msg({ remoteJid: '999999999999999@lid' }, { conversation: 'hi' }), {
        ...ctx,
        phoneJidOf: known,
      }),
    );
    expect(stranger.chatId).toBe('999999999999999@lid');
    expect(stranger.sender.phone).toBeNull();
  });

  it("files the owner's reply in a LID chat under the customer's phone chat", () => {
    const m = mapBaileysMessage(
      msg({ remoteJid: '123456789012345@lid', fromMe: true }, { conversation: 'I dey come' }),
      { ...ctx, phoneJidOf: () => '2348031234567@s.whatsapp.net' },
    );
    expect(m).toMatchObject({ kind: 'owner-reply', reply: { chatId: '2348031234567@s.whatsapp.net' } });
  });

  it('keeps a LID sender without a known phone number', () => {
    const m = inbound(
      mapBaileysMessage(msg({ remoteJid: '123456789012345@lid' }, { conversation: 'hi' }), ctx),
    );
    expect(m.sender.phone).toBeNull();
  });

  it('takes the participant as the sender in groups', () => {
    const m = inbound(
      mapBaileysMessage(
        msg(
          {
            remoteJid: '120363025246125486@g.us',
            participant: '99@lid',
            participantAlt: '2347031234567@s.whatsapp.net',
          },
          { conversation: 'hi all' },
        ),
        ctx,
      ),
    );
    expect(m.chatKind).toBe('group');
    expect(m.sender.phone).toBe('+2347031234567');
  });

  for (const [jid, kind] of [
    ['status@broadcast', 'status'],
    ['12345@broadcast', 'broadcast'],
    ['120363@newsletter', 'newsletter'],
  ] as const) {
    it(`marks ${kind} chats`, () => {
      expect(inbound(mapBaileysMessage(msg({ remoteJid: jid }, { conversation: 'x' }), ctx)).chatKind).toBe(
        kind,
      );
    });
  }

  it('reports an undecryptable stub as such, with no text', () => {
    const m = inbound(
      mapBaileysMessage(msg({}, null, { messageStubType: proto.WebMessageInfo.StubType.CIPHERTEXT }), ctx),
    );
    expect(m).toMatchObject({ kind: 'undecryptable', text: null });
  });

  it('notices the owner replying by hand', () => {
    const m = mapBaileysMessage(msg({ fromMe: true, id: 'OWN' }, { conversation: 'I go send am now' }), ctx);
    expect(m).toEqual({
      kind: 'owner-reply',
      reply: {
        businessNumber: BIZ,
        chatId: '2348031234567@s.whatsapp.net',
        providerMessageId: 'OWN',
        text: 'I go send am now',
        timestamp: 1_700_000_000_000,
      },
    });
  });

  it('skips protocol-only messages and malformed keys', () => {
    expect(mapBaileysMessage(msg({}, { protocolMessage: { type: 0 } }), ctx).kind).toBe('skip');
    expect(mapBaileysMessage(msg({}, { reactionMessage: { text: '👍' } }), ctx).kind).toBe('skip');
    expect(mapBaileysMessage(msg({ id: null }, { conversation: 'x' }), ctx).kind).toBe('skip');
    expect(mapBaileysMessage({ key: {} }, ctx).kind).toBe('skip');
  });

  it('marks media without caption, and unknown content', () => {
    expect(inbound(mapBaileysMessage(msg({}, { audioMessage: {} }), ctx)).kind).toBe('media');
    // A sticker needs no answer: kept with its media, but not handed to a person.
    const sticker = inbound(mapBaileysMessage(msg({}, { stickerMessage: { mimetype: 'image/webp' } }), ctx));
    expect(sticker.kind).toBe('unsupported');
    expect(sticker.media).toMatchObject({ kind: 'sticker', mime: 'image/webp', ref: null });
    // A caption is text the bot reads; the photo stays with it.
    const photo = inbound(
      mapBaileysMessage(
        msg(
          {},
          { imageMessage: { caption: 'I have paid', mediaKey: Buffer.alloc(32, 1), directPath: '/v/x.enc' } },
        ),
        ctx,
      ),
    );
    expect(photo).toMatchObject({
      kind: 'text',
      text: 'I have paid',
      media: { kind: 'image', caption: 'I have paid' },
    });
    expect(JSON.parse(photo.media!.ref!)).toMatchObject({ v: 1, type: 'image', directPath: '/v/x.enc' });
    expect(inbound(mapBaileysMessage(msg({}, { pollCreationMessage: { name: 'q' } }), ctx)).kind).toBe(
      'unsupported',
    );
  });

  it('uses the clock when the timestamp is missing', () => {
    expect(
      inbound(mapBaileysMessage(msg({}, { conversation: 'x' }, { messageTimestamp: null }), ctx)).timestamp,
    ).toBe(1_000);
  });
});
