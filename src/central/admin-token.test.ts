import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeTempDir } from '../core/testing/temp-files';
import { ADMIN_TOKEN_FILE, loadOrCreateAdminToken } from './admin-token';

/** A fresh folder, removed when the test ends. */
const tempDir = (): string => {
  const { dir, cleanup } = makeTempDir('switchboard-central-token-');
  onTestFinished(cleanup);
  return dir;
};

describe('loadOrCreateAdminToken', () => {
  it('creates the token once, owner-only (0600), and reads the same one afterwards', () => {
    const dir = join(tempDir(), 'central');
    const first = loadOrCreateAdminToken(dir, {});
    expect(first).toMatchObject({ source: 'file', created: true, path: join(dir, ADMIN_TOKEN_FILE) });
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    if (first.source !== 'file') throw new Error('expected a file token');
    if (process.platform !== 'win32') expect(statSync(first.path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateAdminToken(dir, {})).toMatchObject({
      token: first.token,
      created: false,
      repairedPermissions: false,
    });
  });

  it('repairs a too-open file, replaces a damaged one, rotates on request', () => {
    const dir = tempDir();
    const { token } = loadOrCreateAdminToken(dir, {});
    const path = join(dir, ADMIN_TOKEN_FILE);
    if (process.platform !== 'win32') {
      chmodSync(path, 0o644);
      expect(loadOrCreateAdminToken(dir, {})).toMatchObject({ token, repairedPermissions: true });
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
    writeFileSync(path, 'short');
    const replaced = loadOrCreateAdminToken(dir, {});
    expect(replaced).toMatchObject({ created: true });
    expect(replaced.token).not.toBe(token);
    expect(loadOrCreateAdminToken(dir, {}, { rotate: true }).token).not.toBe(replaced.token);
  });

  it('uses CENTRAL_ADMIN_TOKEN when set, writes no file, and refuses a weak one', () => {
    const dir = tempDir();
    const strong = 'x'.repeat(16) + 'Y'.repeat(16);
    expect(loadOrCreateAdminToken(dir, { CENTRAL_ADMIN_TOKEN: strong })).toEqual({
      source: 'env',
      token: strong,
    });
    expect(() => statSync(join(dir, ADMIN_TOKEN_FILE))).toThrow();
    expect(() => loadOrCreateAdminToken(dir, { CENTRAL_ADMIN_TOKEN: 'secret' })).toThrow(
      /at least 32 characters/,
    );
  });
});
