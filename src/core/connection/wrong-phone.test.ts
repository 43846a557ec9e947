import { describe, expect, it } from 'vitest';
import type { E164 } from '../../shared/types';
import { wrongPhoneMessage } from './wrong-phone';

describe('wrongPhoneMessage', () => {
  it('names the number that scanned and the one to scan with, written as people write them', () => {
    expect(wrongPhoneMessage('+2348123456789' as E164, '+2348051234567' as E164)).toBe(
      'This QR was scanned with the WhatsApp of +234 805 123 4567, not +234 812 345 6789. Scan again with the phone that has +234 812 345 6789.',
    );
  });

  it('a foreign scanning number keeps its country code', () => {
    expect(wrongPhoneMessage('+2348123456789' as E164, '+447700900123' as E164)).toMatch(
      /^This QR was scanned with the WhatsApp of \+44 770 090 0123, not \+234 812 345 6789\./,
    );
  });

  it('without the scanning number it still says which phone to use', () => {
    expect(wrongPhoneMessage('+2348123456789' as E164, undefined)).toBe(
      'This QR was scanned with the WhatsApp of another number, not +234 812 345 6789. Scan again with the phone that has +234 812 345 6789.',
    );
  });
});
