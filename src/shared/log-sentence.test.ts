import { describe, expect, it } from 'vitest';
import { logSentence, readableIds, SENTENCES, type SentenceEvent } from './log-sentence';

const TUNDE = '2348077776666@s.whatsapp.net';
const ADA = '2348066665555@s.whatsapp.net';
const tunde = { name: 'Tunde Bakare', phone: '+2348077776666' };
const ada = { name: 'Ada Obi', phone: '+2348066665555' };

/** Events as the core logs them (messages and meta copied from a real run against the local server). */
const event = (
  type: string,
  message: string,
  meta: Record<string, unknown>,
  extra: Partial<SentenceEvent> = {},
) => logSentence({ type, message, meta, ...extra });

describe('the Activity log in the owner’s words', () => {
  it('names the customer and the FAQ of a conversation’s events', () => {
    expect(
      event(
        'message.decided',
        `faq-answer for ${TUNDE}`,
        { chatId: TUNDE, reason: 'faq-answer', actions: ['reply:faq'], faqId: 'f1' },
        { person: tunde, faq: 'Do you deliver?' },
      ),
    ).toBe('Answered Tunde Bakare’s question with the FAQ “Do you deliver?”');
    expect(
      event(
        'handoff.requested',
        `Chat ${ADA} needs a person (handoff-request:speak ... person)`,
        { chatId: ADA, reason: 'handoff-request:speak ... person', again: false },
        { person: ada },
      ),
    ).toBe('Handed Ada Obi’s chat to you: asked to talk to a person');
    expect(
      event(
        'handoff.requested',
        '',
        { chatId: ADA, reason: 'handoff-keyword:oga', again: true },
        { person: ada },
      ),
    ).toBe('Ada Obi is still waiting for you: asked for a person ("oga")');
    expect(
      event(
        'message.received',
        `Message from ${TUNDE} stored`,
        { chatId: TUNDE, kind: 'text' },
        { person: tunde },
      ),
    ).toBe('Tunde Bakare wrote');
    expect(
      event(
        'message.sent',
        `faq reply sent to ${TUNDE}`,
        { chatId: TUNDE, kind: 'handoff' },
        { person: tunde },
      ),
    ).toBe('Told Tunde Bakare that a person will reply');
    expect(
      event(
        'bot.paused',
        `The bot keeps out of ${TUNDE} for 30 min`,
        { chatId: TUNDE, minutes: 30 },
        { person: tunde },
      ),
    ).toBe('Paused the bot in Tunde Bakare’s chat for 30 min; you answer it');
  });

  it('says a number when the customer has no name, and never shows a chat id', () => {
    expect(event('message.received', `Message from ${ADA} stored`, { chatId: ADA, kind: 'image' })).toBe(
      '+234 806 666 5555 wrote (a photo, voice note or file)',
    );
    expect(
      event('message.received', 'Message from 123456789012345@lid stored', { chatId: '123456789012345@lid' }),
    ).toBe('A customer wrote');
    expect(event('message.decided', `handoff-bot for ${ADA}`, { chatId: ADA, reason: 'handoff-bot' })).toBe(
      'Read +234 806 666 5555’s message: it needs a person (no FAQ answered the question)',
    );
  });

  it('tells the restart after linking as the normal step it is', () => {
    expect(
      event(
        'connection.changed',
        '+2348031234567: pairing -> connecting (closed 515: Stream Errored (restart required))',
        {
          number: '+2348031234567',
          from: 'pairing',
          to: 'connecting',
          code: 515,
        },
      ),
    ).toBe(
      '+234 803 123 4567 linked; WhatsApp restarts the connection once after linking, as it always does',
    );
    expect(
      event('baileys.notice', 'stream errored out', {
        fullErrorNode: { tag: 'stream:error', attrs: { code: '515' } },
      }),
    ).toBe('WhatsApp restarted the connection once after linking, as it always does');
    expect(event('connection.changed', '', { number: '+2348031234567', to: 'connected' })).toBe(
      '+234 803 123 4567 is connected and receiving messages',
    );
  });

  it('reads settings, FAQs and counts', () => {
    expect(
      event('workspace.updated', 'Settings changed', { changed: ['greeting', 'pacing', 'floodGuard'] }),
    ).toBe('Changed the settings: greeting, reply pacing and repeat guard');
    expect(event('faq.created', 'FAQ added: "Can I pay by transfer?"', { faqId: 'f' })).toBe(
      'Added the FAQ “Can I pay by transfer?”',
    );
    expect(event('log.retention', '', { deleted: 1 })).toBe('Removed 1 old log entry');
  });

  it('falls back to the core’s own message, made readable, for a type it does not know', () => {
    expect(event('shop.someday', `Something odd in ${ADA} on +2348031234567`, {})).toBe(
      'Something odd in +234 806 666 5555 on +234 803 123 4567',
    );
    expect(event('shop.someday', '', {})).toBe('Something happened (shop.someday)');
    // A known type without what its sentence needs says what the core said.
    expect(event('message.decided', 'Bulk entry 1: faq-answer', { i: 1 })).toBe('Bulk entry 1: faq-answer');
  });

  it('has a sentence for every type with no chat id or number left in it', () => {
    for (const [type, make] of Object.entries(SENTENCES)) {
      const sentence = logSentence({
        type,
        message: `Something about ${ADA} on +2348031234567`,
        meta: { chatId: ADA, number: '+2348031234567', reason: 'faq-answer', kind: 'faq', to: 'connected' },
        person: ada,
      });
      expect(typeof make, type).toBe('function');
      expect(sentence, type).not.toMatch(/@s\.whatsapp\.net|@lid|\+234\d{10}/);
      expect(sentence.length, type).toBeGreaterThan(5);
    }
    expect(readableIds(`to ${ADA}`, ada, ADA)).toBe('to Ada Obi');
  });
});
