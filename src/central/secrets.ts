import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * Secrets the central server hands out. Only their SHA-256 hashes are stored: a copy of the database
 * lets no one push into a workspace or enroll an installation. A prefix per kind keeps one kind from
 * ever matching the other's hash, and lets secret scanners recognise a leaked workspace token.
 */
export const WORKSPACE_TOKEN_PREFIX = 'sbw_';
const WORKSPACE_TOKEN_PATTERN = /^sbw_[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url, behind the prefix. */
export const newWorkspaceToken = (): string =>
  `${WORKSPACE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
export const looksLikeWorkspaceToken = (text: string): boolean => WORKSPACE_TOKEN_PATTERN.test(text);
export const hashWorkspaceToken = (token: string): string => sha256Hex(`workspace-token:${token}`);

/** Crockford's base32: no I, L, O or U, so a code read out over the phone survives. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_GROUPS = 4;
const CODE_GROUP_LENGTH = 4;

/** 16 characters (80 bits) in groups of four: `7KQ2-M9XD-4TNB-H3WE`. */
export function newEnrollmentCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < CODE_GROUPS; g++) {
    let group = '';
    for (let i = 0; i < CODE_GROUP_LENGTH; i++) group += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** What a person may type for a code: any case, spaces or dashes anywhere, O for 0, I and L for 1. */
export function normalizeEnrollmentCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export const hashEnrollmentCode = (code: string): string =>
  sha256Hex(`enrollment-code:${normalizeEnrollmentCode(code)}`);

/** A new admin token: 32 random bytes, base64url. */
export { newToken as newAdminToken, tokenMatches as secretMatches } from '../core/secrets/index';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
