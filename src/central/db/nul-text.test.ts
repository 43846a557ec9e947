import { describe, expect, it } from 'vitest';
import { decodeText, encodeText } from './nul-text';

describe('NUL-safe text', () => {
  it('round-trips any string, leaves ordinary text as it is and never writes NUL', () => {
    for (const text of [
      '',
      'plain',
      'a\u0000b',
      '\u0000\u0000',
      '\uE000',
      '\uE0000',
      '\uE000e\u0000',
      'ẹ 👋',
    ]) {
      const stored = encodeText(text);
      expect(stored).not.toContain('\u0000');
      expect(decodeText(stored)).toBe(text);
    }
    expect(encodeText('Ẹ káàárọ̀ 👋')).toBe('Ẹ káàárọ̀ 👋');
  });
});
