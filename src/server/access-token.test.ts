import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../core/testing/temp-files';
import { ACCESS_TOKEN_FILE, loadOrCreateAccessToken, tokenMatches } from './access-token';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const tempDir = () => {
  const { dir, cleanup } = makeTempDir('switchboard-token-');
  cleanups.push(cleanup);
  return dir;
};

describe('loadOrCreateAccessToken', () => {
  it('creates a token once, owner-only, and reads the same one afterwards', () => {
    const dir = join(tempDir(), 'data');
    const first = loadOrCreateAccessToken(dir);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.path).toBe(join(dir, ACCESS_TOKEN_FILE));
    if (process.platform !== 'win32') expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const again = loadOrCreateAccessToken(dir);
    expect(again).toMatchObject({ token: first.token, created: false, repairedPermissions: false });
  });

  it('makes a too-open file owner-only again, replaces a damaged one, and rotates on request', () => {
    const dir = tempDir();
    const { token, path } = loadOrCreateAccessToken(dir);
    if (process.platform !== 'win32') {
      chmodSync(path, 0o644);
      expect(loadOrCreateAccessToken(dir)).toMatchObject({ token, repairedPermissions: true });
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
    writeFileSync(path, 'short');
    const replaced = loadOrCreateAccessToken(dir);
    expect(replaced.created).toBe(true);
    expect(replaced.token).not.toBe(token);
    const rotated = loadOrCreateAccessToken(dir, { rotate: true });
    expect(rotated.token).not.toBe(replaced.token);
    expect(readFileSync(path, 'utf8').trim()).toBe(rotated.token);
  });
});

describe('tokenMatches', () => {
  it('accepts only the exact token', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });
});
