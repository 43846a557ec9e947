import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dirs';
import { createFileKeySecretBox, SECRETS_KEY_FILE } from './file-key-secret-box';
import { SecretBoxError } from './secret-box';

const tempDir = useTempDirs('switchboard-secrets-');

const TOKEN = 'swt_9f8e7d6c5b4a39281706f5e4d3c2b1a0-ünïcødé-₦';

describe('file-key secret box', () => {
  it('round-trips, with a fresh IV each time and nothing of the plain text in the sealed value', () => {
    const box = createFileKeySecretBox({ dataDir: tempDir() });
    const a = box.seal(TOKEN);
    const b = box.seal(TOKEN);
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('swt_');
    expect(box.open(a)).toBe(TOKEN);
    expect(box.open(b)).toBe(TOKEN);
    expect(box.open(box.seal(''))).toBe('');
  });

  it('creates the key file on first use only, with mode 0600, and reuses it across instances', () => {
    const dir = tempDir();
    const keyPath = join(dir, SECRETS_KEY_FILE);
    const box = createFileKeySecretBox({ dataDir: dir });
    expect(() => statSync(keyPath)).toThrow(/ENOENT/);
    const sealed = box.seal(TOKEN);
    const key = readFileSync(keyPath, 'utf8');
    expect(Buffer.from(key.trim(), 'base64')).toHaveLength(32);
    if (process.platform !== 'win32') expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    // Another process (or a restart) opens what this one sealed, and leaves the key alone.
    expect(createFileKeySecretBox({ dataDir: dir }).open(sealed)).toBe(TOKEN);
    expect(readFileSync(keyPath, 'utf8')).toBe(key);
  });

  it('refuses a tampered value with a clear error', () => {
    const box = createFileKeySecretBox({ dataDir: tempDir() });
    const sealed = box.seal(TOKEN);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (const index of [0, 13, raw.length - 1]) {
      const changed = Buffer.from(raw);
      changed[index]! ^= 0x01;
      expect(() => box.open(`v1:${changed.toString('base64url')}`)).toThrow(SecretBoxError);
      expect(() => box.open(`v1:${changed.toString('base64url')}`)).toThrow(
        /could not be decrypted: it was changed, or it was sealed with another key/,
      );
    }
    expect(() => box.open('v1:AAAA')).toThrow(/damaged \(too short\)/);
    expect(() => box.open('v2:whatever')).toThrow(/not in a format this version/);
    expect(() => box.open(TOKEN)).toThrow(SecretBoxError);
  });

  it('refuses a value sealed with another key', () => {
    const sealed = createFileKeySecretBox({ dataDir: tempDir() }).seal(TOKEN);
    expect(() => createFileKeySecretBox({ dataDir: tempDir() }).open(sealed)).toThrow(
      /sealed with another key than .*secrets\.key/,
    );
  });

  it('never overwrites a damaged key file', () => {
    const dir = tempDir();
    const keyPath = join(dir, SECRETS_KEY_FILE);
    writeFileSync(keyPath, 'not a key\n');
    expect(() => createFileKeySecretBox({ dataDir: dir }).seal(TOKEN)).toThrow(/key file .* is damaged/);
    expect(readFileSync(keyPath, 'utf8')).toBe('not a key\n');
  });
});
