import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { E164 } from '../../../shared/types';
import { mapNotification, parseWebhook, verifyWebhookSignature, type WebhookNotification } from './webhook';

/** Fixtures in the shapes of cloud-api-notes.md, written by hand (not by the simulator). */
const SECRET = 'app-secret-for-tests';
const PHONE_NUMBER_ID = '106540352242922';
const SHOP = '+15550783881' as E164;

const sign = (body: Buffer | string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function envelope(value: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

const textMessage = envelope({
  contacts: [{ profile: { name: 'Sheena' }, wa_id: '16505551234' }],
  messages: [
    {
      from: '16505551234',
      id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTc',
      timestamp: '1749416383',
      type: 'text',
      text: { body: 'Una get paracetamol? Café ☕' },
    },
  ],
});

const numberFor = (id: string) => (id === PHONE_NUMBER_ID ? SHOP : undefined);

/** Meta escapes non-ASCII as \uXXXX: the bytes differ from what JSON.stringify writes. */
function metaBytes(value: unknown): Buffer {
  return Buffer.from(
    JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  );
}

function parsed(value: unknown): WebhookNotification {
  const body = metaBytes(value);
  const result = parseWebhook(body, sign(body), SECRET);
  if (!result.ok) throw new Error(result.message);
  return result.notification;
}

describe('parseWebhook', () => {
  it('accepts a notification signed over its raw bytes', () => {
    const body = metaBytes(textMessage);
    expect(parseWebhook(body, sign(body), SECRET)).toMatchObject({ ok: true });
    expect(parseWebhook(body, sign(body).toUpperCase().replace('SHA256=', 'sha256='), SECRET).ok).toBe(true);
  });

  it('refuses a bad signature, a signature by another secret, and a missing one', () => {
    const body = metaBytes(textMessage);
    expect(parseWebhook(body, sign(body, 'another-secret'), SECRET)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(parseWebhook(body, 'sha256=abc', SECRET)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(parseWebhook(body, `sha1=${'0'.repeat(40)}`, SECRET)).toMatchObject({ reason: 'bad-signature' });
    expect(parseWebhook(body, undefined, SECRET)).toMatchObject({ ok: false, reason: 'missing-signature' });
    expect(parseWebhook(body, '', SECRET)).toMatchObject({ ok: false, reason: 'missing-signature' });
    // An empty App Secret would let anyone sign: nothing verifies against it.
    expect(verifyWebhookSignature(body, sign(body, ''), '')).toBe(false);
  });

  it('refuses a body that was tampered with or re-serialised (emoji, accents) after signing', () => {
    const body = metaBytes(textMessage);
    const signature = sign(body);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(reserialised.equals(body)).toBe(false);
    expect(parseWebhook(reserialised, signature, SECRET)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    const tampered = Buffer.from(body.toString('utf8').replace('paracetamol', 'paracetamoL'));
    expect(parseWebhook(tampered, signature, SECRET)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses malformed JSON and JSON that is not a WhatsApp notification, even when signed', () => {
    const broken = Buffer.from('{"object":"whatsapp_business_account","entry":[');
    expect(parseWebhook(broken, sign(broken), SECRET)).toMatchObject({ ok: false, reason: 'malformed-json' });
    const page = Buffer.from(JSON.stringify({ object: 'page', entry: [] }));
    expect(parseWebhook(page, sign(page), SECRET)).toMatchObject({ ok: false, reason: 'not-a-notification' });
    const noEntry = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account' }));
    expect(parseWebhook(noEntry, sign(noEntry), SECRET)).toMatchObject({ reason: 'not-a-notification' });
  });
});

describe('mapNotification', () => {
  it('maps an inbound text message', () => {
    const mapped = mapNotification(parsed(textMessage), { numberFor });
    expect(mapped.messages).toEqual([
      {
        businessNumber: SHOP,
        providerMessageId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTc',
        chatId: '16505551234',
        chatKind: 'direct',
        sender: { phone: '+16505551234', waId: '16505551234', name: 'Sheena' },
        kind: 'text',
        text: 'Una get paracetamol? Café ☕',
        timestamp: 1_749_416_383_000,
        offline: false,
        quotedId: null,
        // Free-form replies only within Meta's 24-hour customer service window.
        replyWindowMs: 24 * 60 * 60 * 1000,
      },
    ]);
    expect(mapped.acks).toEqual([]);
    expect(mapped.unknown).toEqual([]);
  });

  it('a replayed notification maps to the same ids, so the second copy is recognised as a repeat', () => {
    const first = mapNotification(parsed(textMessage), { numberFor });
    const again = mapNotification(parsed(textMessage), { numberFor });
    expect(again).toEqual(first);
  });

  it('keeps a notification for an unknown phone_number_id apart: no message, no ack', () => {
    const other = envelope(
      {
        contacts: [{ profile: { name: 'Sheena' }, wa_id: '16505551234' }],
        messages: [
          { from: '16505551234', id: 'wamid.X', timestamp: '1749416383', type: 'text', text: { body: 'hi' } },
        ],
        statuses: [{ id: 'wamid.Y', status: 'read', timestamp: '1749416383', recipient_id: '16505551234' }],
      },
      '999999999999999',
    );
    const mapped = mapNotification(parsed(other), { numberFor });
    expect(mapped.messages).toEqual([]);
    expect(mapped.acks).toEqual([]);
    expect(mapped.unknown).toEqual([
      { phoneNumberId: '999999999999999', displayPhoneNumber: '15550783881', messages: 1, statuses: 1 },
    ]);
  });

  it('a username customer (empty wa_id and from) is addressed by user_id, with no phone number', () => {
    const username = envelope({
      contacts: [{ profile: { name: 'ada.styles' }, wa_id: '', user_id: 'NG.1234567890123456' }],
      messages: [
        { from: '', id: 'wamid.U1', timestamp: '1749416383', type: 'text', text: { body: 'Price?' } },
      ],
    });
    const [message] = mapNotification(parsed(username), { numberFor }).messages;
    expect(message).toMatchObject({
      chatId: 'NG.1234567890123456',
      sender: { phone: null, waId: 'NG.1234567890123456', name: 'ada.styles' },
      text: 'Price?',
    });
  });

  it('several messages in one POST, each matched with its own contact (username ones by position)', () => {
    const batch = envelope({
      contacts: [
        { profile: { name: 'Ada' }, wa_id: '2348031234567' },
        { profile: { name: 'bayo.b' }, wa_id: '', user_id: 'NG.77' },
        { profile: { name: 'Chi' }, wa_id: '2347061234567' },
      ],
      messages: [
        {
          from: '2348031234567',
          id: 'wamid.1',
          timestamp: '1749416383',
          type: 'text',
          text: { body: 'one' },
        },
        { from: '', id: 'wamid.2', timestamp: '1749416384', type: 'text', text: { body: 'two' } },
        {
          from: '2347061234567',
          id: 'wamid.3',
          timestamp: '1749416385',
          type: 'text',
          text: { body: 'three' },
        },
      ],
    });
    const mapped = mapNotification(parsed(batch), { numberFor });
    expect(mapped.messages.map((m) => [m.providerMessageId, m.chatId, m.sender.name, m.text])).toEqual([
      ['wamid.1', '2348031234567', 'Ada', 'one'],
      ['wamid.2', 'NG.77', 'bayo.b', 'two'],
      ['wamid.3', '2347061234567', 'Chi', 'three'],
    ]);
  });

  it('maps buttons, lists, template buttons, media captions, quoted replies and places; a reaction is unsupported', () => {
    const from = '2348031234567';
    const base = { from, timestamp: '1749416383' };
    const kinds = envelope({
      contacts: [{ profile: { name: 'Ada' }, wa_id: from }],
      messages: [
        {
          ...base,
          id: 'b',
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'y', title: 'Yes' } },
        },
        {
          ...base,
          id: 'l',
          type: 'interactive',
          interactive: { type: 'list_reply', list_reply: { id: 'r', title: 'Rice' } },
        },
        { ...base, id: 't', type: 'button', button: { payload: 'STOP', text: 'Stop promotions' } },
        {
          ...base,
          id: 'i',
          type: 'image',
          image: { id: '1', mime_type: 'image/jpeg', sha256: 'x', caption: 'This one' },
        },
        { ...base, id: 'a', type: 'audio', audio: { id: '2', mime_type: 'audio/ogg' } },
        {
          ...base,
          id: 'q',
          type: 'text',
          text: { body: 'And this?' },
          context: { from: '15550783881', id: 'wamid.old' },
        },
        { ...base, id: 'r', type: 'reaction', reaction: { message_id: 'wamid.old', emoji: '👍' } },
        { ...base, id: 'o', type: 'location', location: { latitude: 6.5, longitude: 3.4 } },
      ],
    });
    const mapped = mapNotification(parsed(kinds), { numberFor });
    expect(mapped.messages.map((m) => [m.providerMessageId, m.kind, m.text, m.quotedId])).toEqual([
      ['b', 'text', 'Yes', null],
      ['l', 'text', 'Rice', null],
      ['t', 'text', 'Stop promotions', null],
      ['i', 'text', 'This one', null],
      ['a', 'media', null, null],
      ['q', 'text', 'And this?', 'wamid.old'],
      ['r', 'unsupported', null, null],
      ['o', 'media', null, null],
    ]);
    expect(mapped.messages.at(-1)!.media).toMatchObject({
      kind: 'location',
      ref: null,
      location: { latitude: 6.5, longitude: 3.4, name: null, address: null },
    });
  });

  it('maps statuses with pricing, the echoed outbox id and errors; unknown statuses and bad items are skipped', () => {
    const statuses = envelope({
      statuses: [
        {
          id: 'wamid.S',
          status: 'delivered',
          timestamp: '1749416390',
          recipient_id: '2348031234567',
          biz_opaque_callback_data: '3EB0OUTBOX1',
          pricing: {
            billable: false,
            pricing_model: 'PMP',
            category: 'service',
            type: 'free_customer_service',
          },
        },
        {
          id: 'wamid.F',
          status: 'failed',
          timestamp: 1749416391,
          recipient_id: '2348031234567',
          errors: [
            { code: '131047', title: 'Re-engagement message', error_data: { details: 'More than 24 hours' } },
          ],
        },
        { id: 'wamid.D', status: 'deleted', timestamp: '1749416392', recipient_id: '2348031234567' },
        { id: 'wamid.B', status: 'read', timestamp: 'yesterday' },
      ],
    });
    const mapped = mapNotification(parsed(statuses), { numberFor });
    expect(mapped.acks).toEqual([
      {
        businessNumber: SHOP,
        providerMessageId: 'wamid.S',
        chatId: '2348031234567',
        status: 'delivered',
        error: null,
        timestamp: 1_749_416_390_000,
        clientMessageId: '3EB0OUTBOX1',
        pricing: { billable: false, model: 'PMP', category: 'service', type: 'free_customer_service' },
      },
      {
        businessNumber: SHOP,
        providerMessageId: 'wamid.F',
        chatId: '2348031234567',
        status: 'failed',
        error: { code: '131047', message: 'Re-engagement message: More than 24 hours' },
        timestamp: 1_749_416_391_000,
        clientMessageId: null,
        pricing: null,
      },
    ]);
    expect(mapped.skipped.map((s) => s.id)).toEqual(['wamid.D', 'wamid.B']);
  });

  it('skips other webhook fields and a change without metadata, keeping the rest of the POST', () => {
    const mixed = parsed({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            { field: 'message_template_status_update', value: { event: 'APPROVED' } },
            { field: 'messages', value: { messaging_product: 'whatsapp' } },
            ...((textMessage.entry as { changes: unknown[] }[])[0]!.changes as never[]),
          ],
        },
      ],
    });
    const mapped = mapNotification(mixed, { numberFor });
    expect(mapped.messages).toHaveLength(1);
    expect(mapped.skipped.map((s) => s.reason)).toEqual([
      'field message_template_status_update',
      'a messages change without metadata',
    ]);
  });
});
