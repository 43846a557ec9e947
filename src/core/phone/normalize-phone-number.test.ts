import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { SwitchboardError } from '../errors';
import type { E164 } from '../../shared/types';
import {
  MAX_INPUT_LENGTH,
  PHONE_ERROR_REASONS,
  isE164,
  normalizePhoneNumber,
  normalizePhoneNumberOrThrow,
  phoneNumberToJidUser,
  type PhoneErrorReason,
} from './normalize-phone-number';

type Case =
  | { input: string; country: string; expected: string; note?: string }
  | { input: string; country: string; reason: PhoneErrorReason; note?: string };

const NG_MOBILE = '+2348031234567';
const UK_LONDON = '+442079460958';
const US_SF = '+14155552671';
const LAGOS_LANDLINE = '+2342012345678';

const CASES: Case[] = [
  // The forms a Nigerian shop owner types or pastes.
  { input: '08031234567', country: 'NG', expected: NG_MOBILE },
  { input: '8031234567', country: 'NG', expected: NG_MOBILE, note: 'no trunk 0' },
  { input: '+234 803 123 4567', country: 'NG', expected: NG_MOBILE },
  { input: '234-803-123-4567', country: 'NG', expected: NG_MOBILE },
  { input: '(0803) 123 4567', country: 'NG', expected: NG_MOBILE },
  { input: '2348031234567', country: 'NG', expected: NG_MOBILE },
  { input: '+234 (0) 803 123 4567', country: 'NG', expected: NG_MOBILE, note: 'trunk 0 after the code' },
  { input: '+2340803 123 4567', country: 'NG', expected: NG_MOBILE },
  { input: '(+234) 803-123-4567', country: 'NG', expected: NG_MOBILE },
  { input: '+234.803.123.4567', country: 'NG', expected: NG_MOBILE },
  { input: '0803/123/4567', country: 'NG', expected: NG_MOBILE },
  { input: '009 234 803 123 4567', country: 'NG', expected: NG_MOBILE, note: "Nigeria's IDD" },
  { input: '00 234 803 123 4567', country: 'NG', expected: NG_MOBILE, note: 'common 00 IDD' },
  // WhatsApp JIDs.
  { input: '2348031234567@s.whatsapp.net', country: 'NG', expected: NG_MOBILE },
  { input: '2348031234567:12@s.whatsapp.net', country: 'NG', expected: NG_MOBILE, note: 'device suffix' },
  { input: '2348031234567_1:3@s.whatsapp.net', country: 'NG', expected: NG_MOBILE, note: 'agent + device' },
  { input: '2348031234567@c.us', country: 'NG', expected: NG_MOBILE },
  { input: '2348031234567@S.WhatsApp.Net', country: 'GB', expected: NG_MOBILE },
  { input: '14155552671@s.whatsapp.net', country: 'NG', expected: US_SF, note: 'JID is international' },
  // Another country than the default.
  { input: '+44 20 7946 0958', country: 'NG', expected: UK_LONDON },
  { input: '+44 (0)20 7946 0958', country: 'NG', expected: UK_LONDON },
  { input: '009 44 20 7946 0958', country: 'NG', expected: UK_LONDON },
  { input: '0044 20 7946 0958', country: 'NG', expected: UK_LONDON },
  { input: '020 7946 0958', country: 'GB', expected: UK_LONDON },
  { input: '0044 20 7946 0958', country: 'GB', expected: UK_LONDON },
  { input: '07911 123456', country: 'GB', expected: '+447911123456' },
  { input: '+44 7911 123456', country: 'NG', expected: '+447911123456' },
  { input: '14155552671', country: 'NG', expected: US_SF, note: 'wa.me digits' },
  { input: '+1 (415) 555-2671', country: 'NG', expected: US_SF },
  { input: '(415) 555-2671', country: 'US', expected: US_SF },
  { input: '1-415-555-2671', country: 'US', expected: US_SF },
  { input: '011 44 20 7946 0958', country: 'US', expected: UK_LONDON, note: 'US IDD' },
  { input: '+233 24 412 3456', country: 'NG', expected: '+233244123456' },
  { input: '233244123456', country: 'NG', expected: '+233244123456' },
  { input: '024 412 3456', country: 'GH', expected: '+233244123456' },
  { input: '+254 712 345 678', country: 'NG', expected: '+254712345678' },
  { input: '254712345678', country: 'NG', expected: '+254712345678' },
  { input: '0712 345678', country: 'KE', expected: '+254712345678' },
  { input: '+27 82 123 4567', country: 'NG', expected: '+27821234567' },
  { input: '27821234567', country: 'NG', expected: '+27821234567' },
  { input: '082 123 4567', country: 'ZA', expected: '+27821234567' },
  { input: '+91 98765 43210', country: 'NG', expected: '+919876543210' },
  { input: '98765 43210', country: 'IN', expected: '+919876543210' },
  // Nigerian landlines: the current 020 plan and the legacy forms still printed everywhere.
  { input: '0201 234 5678', country: 'NG', expected: LAGOS_LANDLINE },
  { input: '0209 123 4567', country: 'NG', expected: '+2342091234567' },
  { input: '01 234 5678', country: 'NG', expected: LAGOS_LANDLINE, note: 'legacy Lagos' },
  { input: '(01) 234-5678', country: 'NG', expected: LAGOS_LANDLINE, note: 'legacy Lagos' },
  { input: '09 461 2345', country: 'NG', expected: '+2342094612345', note: 'legacy Abuja' },
  { input: '084 231 234', country: 'NG', expected: '+2342084231234', note: 'legacy Port Harcourt' },
  { input: '+234 1 234 5678', country: 'NG', expected: LAGOS_LANDLINE, note: 'legacy, international' },
  { input: '+234 1 234 5678', country: 'GH', expected: LAGOS_LANDLINE, note: '+234 makes it Nigerian' },
  // Idempotence on outputs, whatever the default country.
  { input: NG_MOBILE, country: 'US', expected: NG_MOBILE },
  { input: UK_LONDON, country: 'NG', expected: UK_LONDON },
  { input: LAGOS_LANDLINE, country: 'GH', expected: LAGOS_LANDLINE },
  { input: '+390669821234', country: 'NG', expected: '+390669821234', note: 'Italian leading 0 kept' },
  // Whitespace and Unicode oddities from copy-paste.
  { input: ' \t 08031234567 \n ', country: 'NG', expected: NG_MOBILE },
  { input: '０８０３ １２３ ４５６７', country: 'NG', expected: NG_MOBILE, note: 'full-width' },
  { input: '＋２３４８０３１２３４５６７', country: 'NG', expected: NG_MOBILE, note: 'full-width +' },
  { input: '0803\u00a0123\u00a04567', country: 'NG', expected: NG_MOBILE, note: 'NBSP' },
  { input: '\u200b0803\u200c123\u200d4567\u2060', country: 'NG', expected: NG_MOBILE, note: 'zero-width' },
  {
    input: '\ufeff\u202a+234 803 123 4567\u202c\u200e',
    country: 'NG',
    expected: NG_MOBILE,
    note: 'BOM, bidi',
  },
  { input: '0803\u2013123\u20144567', country: 'NG', expected: NG_MOBILE, note: 'en/em dashes' },
  { input: '٠٨٠٣١٢٣٤٥٦٧', country: 'NG', expected: NG_MOBILE, note: 'Arabic-Indic digits' },
  { input: 'tel:+2348031234567', country: 'GB', expected: NG_MOBILE },
  { input: 'TEL: 0803 123 4567', country: 'NG', expected: NG_MOBILE },
  { input: 'whatsapp:+14155552671', country: 'NG', expected: US_SF },
  { input: '08031234567', country: 'ng', expected: NG_MOBILE, note: 'lower-case country' },
  { input: '08031234567', country: ' NG ', expected: NG_MOBILE },

  // Rejections.
  { input: '', country: 'NG', reason: 'EMPTY' },
  { input: '   \t\n', country: 'NG', reason: 'EMPTY' },
  { input: '\u200b\u00a0\ufeff', country: 'NG', reason: 'EMPTY' },
  { input: 'tel:', country: 'NG', reason: 'EMPTY' },
  { input: '( ) -', country: 'NG', reason: 'EMPTY' },
  { input: '+', country: 'NG', reason: 'EMPTY' },
  { input: '0803 123 ABCD', country: 'NG', reason: 'INVALID_CHARACTERS' },
  { input: '08031234567 ext 12', country: 'NG', reason: 'INVALID_CHARACTERS' },
  { input: '08031234567 x12', country: 'NG', reason: 'INVALID_CHARACTERS' },
  { input: '08031234567#', country: 'NG', reason: 'INVALID_CHARACTERS' },
  { input: '0803-CALL-NOW', country: 'NG', reason: 'INVALID_CHARACTERS' },
  { input: '234+8031234567', country: 'NG', reason: 'INVALID_CHARACTERS', note: '+ in the middle' },
  { input: '++2348031234567', country: 'NG', reason: 'INVALID_CHARACTERS' },
  { input: '08031234567, 08051234567', country: 'NG', reason: 'INVALID_CHARACTERS' },
  { input: 'https://wa.me/2348031234567', country: 'NG', reason: 'INVALID_CHARACTERS' },
  { input: '1', country: 'NG', reason: 'TOO_SHORT' },
  { input: '0803123', country: 'NG', reason: 'TOO_SHORT' },
  { input: '0803 12345', country: 'NG', reason: 'TOO_SHORT', note: 'not made a landline' },
  { input: '+234 803', country: 'NG', reason: 'TOO_SHORT' },
  { input: '+1', country: 'NG', reason: 'TOO_SHORT' },
  { input: '080312345678901234', country: 'NG', reason: 'TOO_LONG' },
  { input: '+44 20 7946 0958 0000 000', country: 'NG', reason: 'TOO_LONG' },
  { input: '+49 201 0000 0000 000', country: 'NG', reason: 'TOO_LONG', note: 'valid in DE, over 15 digits' },
  { input: '+98 9686', country: 'NG', reason: 'TOO_SHORT', note: 'valid Iranian service code' },
  { input: '0803123456', country: 'NG', reason: 'INVALID_NUMBER', note: 'one digit missing' },
  { input: '+44 20 7946 095', country: 'NG', reason: 'INVALID_NUMBER' },
  { input: '0044 20 7946 095', country: 'NG', reason: 'INVALID_NUMBER' },
  { input: '01 234 5678', country: 'GH', reason: 'INVALID_NUMBER', note: 'the 020 rule is Nigerian' },
  { input: '+999 123 456 789', country: 'NG', reason: 'UNKNOWN_COUNTRY_CODE' },
  { input: '+0803 123 4567', country: 'NG', reason: 'UNKNOWN_COUNTRY_CODE' },
  { input: '08031234567', country: 'XX', reason: 'INVALID_COUNTRY' },
  { input: '08031234567', country: 'UK', reason: 'INVALID_COUNTRY', note: 'GB is the ISO code' },
  { input: '08031234567', country: 'NGA', reason: 'INVALID_COUNTRY' },
  { input: NG_MOBILE, country: '', reason: 'INVALID_COUNTRY' },
  { input: '120363025246125486@g.us', country: 'NG', reason: 'GROUP_JID' },
  { input: '2348031234567-1600000000@g.us', country: 'NG', reason: 'GROUP_JID' },
  { input: '123456789012345@lid', country: 'NG', reason: 'LID' },
  { input: '123456789012345:5@lid', country: 'NG', reason: 'LID' },
  { input: '123456789012345@hosted.lid', country: 'NG', reason: 'LID' },
  { input: 'status@broadcast', country: 'NG', reason: 'NOT_A_PHONE_JID' },
  { input: '1600000000@broadcast', country: 'NG', reason: 'NOT_A_PHONE_JID' },
  { input: '120363123456789012@newsletter', country: 'NG', reason: 'NOT_A_PHONE_JID' },
  { input: 'owner@example.com', country: 'NG', reason: 'NOT_A_PHONE_JID' },
  { input: 'server@c.us', country: 'NG', reason: 'NOT_A_PHONE_JID' },
  { input: '@s.whatsapp.net', country: 'NG', reason: 'NOT_A_PHONE_JID' },
  { input: '2348031234567:web@s.whatsapp.net', country: 'NG', reason: 'NOT_A_PHONE_JID' },
  {
    input: '08031234567@s.whatsapp.net',
    country: 'NG',
    reason: 'UNKNOWN_COUNTRY_CODE',
    note: 'JID not intl',
  },
  { input: '2348031234@s.whatsapp.net', country: 'NG', reason: 'TOO_SHORT' },
  { input: 'x'.repeat(MAX_INPUT_LENGTH + 1), country: 'NG', reason: 'TOO_LONG_INPUT' },
  { input: `${' '.repeat(40)}08031234567${' '.repeat(20)}`, country: 'NG', reason: 'TOO_LONG_INPUT' },
  { input: '0'.repeat(10_000), country: 'XX', reason: 'TOO_LONG_INPUT', note: 'checked first' },
];

// Every mobile prefix a Nigerian customer is likely to have, national and international.
const NG_MOBILE_PREFIXES = [
  '0703',
  '0706',
  '0803',
  '0806',
  '0810',
  '0813',
  '0816',
  '0903',
  '0906',
  '0913',
  '0916',
  '0701',
  '0708',
  '0802',
  '0808',
  '0812',
  '0901',
  '0902',
  '0907',
  '0809',
  '0817',
  '0818',
  '0909',
  '0908',
];

const PREFIX_CASES: Case[] = NG_MOBILE_PREFIXES.flatMap((prefix, i) => {
  const subscriber = String(1_234_567 + i * 311_111).padStart(7, '0');
  const expected = `+234${prefix.slice(1)}${subscriber}`;
  return [
    { input: `${prefix} ${subscriber.slice(0, 3)} ${subscriber.slice(3)}`, country: 'NG', expected },
    { input: `+234 ${prefix.slice(1)} ${subscriber}`, country: 'GH', expected },
  ];
});

function label(c: Case): string {
  const outcome = 'expected' in c ? c.expected : c.reason;
  const input = c.input.length > 40 ? `${c.input.slice(0, 20)}…(${c.input.length} chars)` : c.input;
  return `${JSON.stringify(input)} [${c.country}] -> ${outcome}${c.note === undefined ? '' : ` (${c.note})`}`;
}

describe('normalizePhoneNumber: table', () => {
  it('has enough cases to cover the forms', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(45);
  });

  it.each([...CASES, ...PREFIX_CASES].map((c) => [label(c), c] as const))('%s', (_, c) => {
    const result = normalizePhoneNumber(c.input, c.country);
    if ('expected' in c) {
      expect(result).toEqual({ ok: true, value: c.expected });
      expect(isE164(c.expected)).toBe(true);
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.reason).toBe(c.reason);
      expect(result.error.message.length).toBeGreaterThan(20);
      expect(result.error.input.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH + 1);
    }
  });
});

describe('normalizePhoneNumber: details', () => {
  it('keeps the raw input on the error, and says why in the message', () => {
    const result = normalizePhoneNumber(' 0803 123 ', 'NG');
    expect(result).toMatchObject({ ok: false, error: { reason: 'TOO_SHORT', input: ' 0803 123 ' } });
    if (!result.ok) expect(result.error.message).toContain('Nigeria');
  });

  it('explains that a LID is not a phone number', () => {
    const result = normalizePhoneNumber('123456789012345@lid', 'NG');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/LID is WhatsApp's private id.*not a phone number/);
  });

  it('cuts an over-long input before keeping it on the error', () => {
    const result = normalizePhoneNumber('9'.repeat(1_000_000), 'NG');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe('TOO_LONG_INPUT');
      expect(result.error.input.length).toBe(MAX_INPUT_LENGTH + 1);
    }
  });

  it('accepts exactly MAX_INPUT_LENGTH characters', () => {
    const padded = `08031234567`.padStart(MAX_INPUT_LENGTH, ' ');
    expect(normalizePhoneNumber(padded, 'NG')).toEqual({ ok: true, value: NG_MOBILE });
  });

  it.each([undefined, null, 2348031234567, {}, [], Symbol('x'), Object.create(null) as object])(
    'rejects a non-string input (%s) without throwing',
    (value) => {
      const result = normalizePhoneNumber(value as unknown as string, 'NG');
      expect(result).toMatchObject({ ok: false, error: { reason: 'NOT_A_STRING', input: '' } });
    },
  );

  it.each([undefined, null, 234, {}, Object.create(null) as object])(
    'rejects a non-string default country (%s)',
    (country) => {
      const result = normalizePhoneNumber('08031234567', country as unknown as string);
      expect(result).toMatchObject({ ok: false, error: { reason: 'INVALID_COUNTRY' } });
    },
  );
});

describe('normalizePhoneNumberOrThrow', () => {
  it('returns the E.164 number', () => {
    const value: E164 = normalizePhoneNumberOrThrow('0803 123 4567', 'NG');
    expect(value).toBe(NG_MOBILE);
  });

  it('throws a SwitchboardError with code INVALID_PHONE_NUMBER and the reason', () => {
    let thrown: unknown;
    try {
      normalizePhoneNumberOrThrow('120363025246125486@g.us', 'NG');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SwitchboardError);
    const error = thrown as SwitchboardError;
    expect(error.code).toBe('INVALID_PHONE_NUMBER');
    expect(error.details).toEqual({ reason: 'GROUP_JID', input: '120363025246125486@g.us' });
    expect(error.message).toContain('group');
  });

  it('names what was being normalized', () => {
    expect(() => normalizePhoneNumberOrThrow('0803', 'NG', "the owner's number")).toThrowError(
      /^The owner's number: "0803" is too short/,
    );
    try {
      normalizePhoneNumberOrThrow('abc', 'NG', 'contact number');
    } catch (error) {
      expect((error as SwitchboardError).details).toEqual({
        reason: 'INVALID_CHARACTERS',
        input: 'abc',
        what: 'contact number',
      });
    }
  });

  it('throws for an invalid default country', () => {
    expect(() => normalizePhoneNumberOrThrow('08031234567', 'ZZ')).toThrowError(SwitchboardError);
  });
});

describe('isE164 and phoneNumberToJidUser', () => {
  it.each([NG_MOBILE, UK_LONDON, US_SF, LAGOS_LANDLINE])('accepts %s', (value) => {
    expect(isE164(value)).toBe(true);
  });

  it.each([
    '2348031234567',
    '+234 803 123 4567',
    '+2348031234567 ',
    '+234803123456',
    '+23480312345678',
    '+99912345678',
    '+',
    '',
    '08031234567',
  ])('rejects %j', (value) => {
    expect(isE164(value)).toBe(false);
  });

  it('rejects non-strings at runtime', () => {
    expect(isE164(2348031234567 as unknown as string)).toBe(false);
  });

  it('gives the digits WhatsApp uses in JIDs and pairing codes', () => {
    expect(phoneNumberToJidUser(NG_MOBILE as E164)).toBe('2348031234567');
    expect(phoneNumberToJidUser(UK_LONDON as E164)).toBe('442079460958');
  });

  it('round-trips through a JID', () => {
    const jid = `${phoneNumberToJidUser(NG_MOBILE as E164)}:3@s.whatsapp.net`;
    expect(normalizePhoneNumber(jid, 'GB')).toEqual({ ok: true, value: NG_MOBILE });
  });

  it('refuses a forged brand rather than building a bad JID', () => {
    expect(() => phoneNumberToJidUser('08031234567' as E164)).toThrowError(SwitchboardError);
  });
});

// Property tests.

const COUNTRIES = ['NG', 'GH', 'KE', 'GB', 'US', 'ZA', 'IN'] as const;
const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

const subscriberArb = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 })
  .map((d) => d.join(''));
const separatorArb = fc.constantFrom(' ', '-', '.', '', '  ', ' - ', '\u00a0', '\u2013');

/** Splits `digits` into 1–4 groups at random points. */
function groupsArb(digits: string): fc.Arbitrary<string[]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: digits.length - 1 }), { maxLength: 3 }).map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), digits.length];
    return points.slice(1).map((end, i) => digits.slice(points[i], end));
  });
}

/** A Nigerian mobile number written the ways people write it, with the E.164 it must become. */
const formattedNigerianMobileArb = fc
  .record({
    prefix: fc.constantFrom(...NG_MOBILE_PREFIXES),
    subscriber: subscriberArb,
    style: fc.constantFrom('0', '', '+234', '234', '+234 (0)', '009234', '00234', 'jid'),
    separator: separatorArb,
    bracketFirstGroup: fc.boolean(),
    padding: fc.constantFrom('', ' ', '\t', '\u200b', '\ufeff'),
    device: fc.option(fc.integer({ min: 0, max: 99 })),
  })
  .chain((r) => {
    const national = `${r.prefix.slice(1)}${r.subscriber}`;
    return groupsArb(national).map((groups) => ({ ...r, national, groups }));
  })
  .map(({ prefix, subscriber, style, separator, bracketFirstGroup, padding, device, national, groups }) => {
    const expected = `+234${prefix.slice(1)}${subscriber}`;
    if (style === 'jid') {
      return {
        input: `${padding}234${national}${device === null ? '' : `:${device}`}@s.whatsapp.net`,
        expected,
      };
    }
    const [first = '', ...rest] = groups;
    const head = style === '0' ? `0${first}` : first;
    const body = [bracketFirstGroup ? `(${head})` : head, ...rest].join(separator);
    const lead = style === '0' || style === '' ? '' : `${style}${separator === '' ? '' : ' '}`;
    return { input: `${padding}${lead}${body}${padding}`, expected };
  });

describe('normalizePhoneNumber: properties', () => {
  it('gives the same E.164 for every way of writing a Nigerian mobile number', () => {
    fc.assert(
      fc.property(formattedNigerianMobileArb, ({ input, expected }) => {
        expect(isE164(expected)).toBe(true);
        expect(normalizePhoneNumber(input, 'NG')).toEqual({ ok: true, value: expected });
      }),
      { numRuns: 2000 },
    );
  });

  it('returns its own output unchanged, whatever the default country', () => {
    const sourceArb = fc.oneof(
      formattedNigerianMobileArb.map((f) => ({ input: f.input, country: 'NG' })),
      fc.record({
        input: fc.constantFrom(...CASES.filter((c) => 'expected' in c).map((c) => c.input)),
        country: fc.constantFrom(...COUNTRIES),
      }),
      // Random digits reach the fallbacks (00, bare international digits, legacy landlines) too.
      fc.record({
        input: fc
          .array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 16 })
          .map((d) => d.join('')),
        country: fc.constantFrom(...COUNTRIES),
      }),
    );
    fc.assert(
      fc.property(sourceArb, fc.constantFrom(...COUNTRIES), ({ input, country }, again) => {
        const first = normalizePhoneNumber(input, country);
        if (!first.ok) return;
        expect(isE164(first.value)).toBe(true);
        expect(normalizePhoneNumber(first.value, again)).toEqual(first);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws, and returns a valid E.164 or an explained error, for any string', () => {
    const phoneishArb = fc.string({
      unit: fc.constantFrom(...'0123456789 +-().@:_/'.split(''), 's.whatsapp.net', 'g.us', 'lid', '\u200b'),
      maxLength: 30,
    });
    const inputArb = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      phoneishArb,
    );
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...COUNTRIES, 'XX', ''), (input, country) => {
        let result: ReturnType<typeof normalizePhoneNumber> | undefined;
        expect(() => {
          result = normalizePhoneNumber(input, country);
        }).not.toThrow();
        if (result === undefined) return;
        if (result.ok) {
          expect(result.value).toMatch(E164_SHAPE);
          expect(isE164(result.value)).toBe(true);
        } else {
          expect(PHONE_ERROR_REASONS).toContain(result.error.reason);
          expect(result.error.message.trim()).not.toBe('');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws for non-string values at runtime', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = normalizePhoneNumber(value as string, 'NG');
        if (typeof value !== 'string') expect(result.ok).toBe(false);
      }),
    );
  });
});
