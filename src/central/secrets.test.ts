import { describe, expect, it } from 'vitest';
import {
  hashEnrollmentCode,
  hashWorkspaceToken,
  looksLikeWorkspaceToken,
  newEnrollmentCode,
  newWorkspaceToken,
  normalizeEnrollmentCode,
  secretMatches,
} from './secrets';

describe('secrets', () => {
  it('makes codes people can read out and type back, in any case or spacing', () => {
    const code = newEnrollmentCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(hashEnrollmentCode(code.toLowerCase().replace(/-/g, ' '))).toBe(hashEnrollmentCode(code));
    expect(normalizeEnrollmentCode('abcd-oil0')).toBe('ABCD0110');
    expect(new Set(Array.from({ length: 200 }, newEnrollmentCode)).size).toBe(200);
  });

  it('makes prefixed workspace tokens and keeps only hashes', () => {
    const token = newWorkspaceToken();
    expect(looksLikeWorkspaceToken(token)).toBe(true);
    expect(looksLikeWorkspaceToken(token.slice(1))).toBe(false);
    expect(hashWorkspaceToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashWorkspaceToken(token)).not.toContain(token.slice(4, 20));
    // The kinds never collide: a code's hash is not the same text's token hash.
    expect(hashEnrollmentCode('ABCD')).not.toBe(hashWorkspaceToken('ABCD'));
  });

  it('compares secrets exactly', () => {
    const candidates = ['abc', 'abd', 'abcd', '', undefined];
    expect(candidates.map((c) => secretMatches(c, 'abc'))).toEqual([true, false, false, false, false]);
  });
});
