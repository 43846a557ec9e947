import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dirs';
import { securePrivateFolder } from './private-folder';

const tempDir = useTempDirs('switchboard-modes-');
const mode = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('securePrivateFolder', () => {
  it('creates the data folder 0700 and repairs folders and files that others could read', () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    expect(securePrivateFolder(data)).toEqual({ repaired: [], unsupported: null });
    expect(mode(data)).toBe(0o700);

    // As an older version (or a copy with the default umask) left them.
    chmodSync(data, 0o755);
    writeFileSync(join(data, 'switchboard.db'), 'x', { mode: 0o644 });
    chmodSync(join(data, 'switchboard.db'), 0o644);
    writeFileSync(join(data, 'switchboard.db-wal'), 'x');
    chmodSync(join(data, 'switchboard.db-wal'), 0o664);
    mkdirSync(join(data, 'logs'));
    chmodSync(join(data, 'logs'), 0o755);
    writeFileSync(join(data, 'logs', 'switchboard.jsonl'), 'x');
    chmodSync(join(data, 'logs', 'switchboard.jsonl'), 0o644);
    writeFileSync(join(data, 'backup.db'), 'x');
    chmodSync(join(data, 'backup.db'), 0o444); // read-only: stays read-only, for its owner only
    writeFileSync(join(data, 'secrets.key'), 'x');
    chmodSync(join(data, 'secrets.key'), 0o600); // already private: untouched

    const report = securePrivateFolder(data);
    expect(report.repaired.sort()).toEqual(
      [
        '.',
        'backup.db',
        'logs',
        join('logs', 'switchboard.jsonl'),
        'switchboard.db',
        'switchboard.db-wal',
      ].sort(),
    );
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'logs'))).toBe(0o700);
    expect(mode(join(data, 'switchboard.db'))).toBe(0o600);
    expect(mode(join(data, 'switchboard.db-wal'))).toBe(0o600);
    expect(mode(join(data, 'logs', 'switchboard.jsonl'))).toBe(0o600);
    expect(mode(join(data, 'backup.db'))).toBe(0o400);
    expect(mode(join(data, 'secrets.key'))).toBe(0o600);
    // Nothing left to repair at the next start.
    expect(securePrivateFolder(data).repaired).toEqual([]);
  });

  it('on Windows says why modes are not checked, and changes nothing', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const report = securePrivateFolder(dir, 'win32');
    expect(report.repaired).toEqual([]);
    expect(report.unsupported).toMatch(/user profile/);
    expect(mode(dir)).toBe(0o755);
  });
});

describe.skipIf(process.platform === 'win32')('the core’s data folder', () => {
  it('is private from the first start, and a folder left readable by others is repaired and logged', async () => {
    const { createSwitchboard } = await import('../app');
    const { createMemorySink } = await import('../testing/memory-sink');
    const dir = tempDir();
    const data = join(dir, 'data');
    const first = await createSwitchboard({ dataDir: data, durability: 'normal' });
    await first.close();
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(data);
    expect(files).toContain('switchboard.db');
    expect(mode(data)).toBe(0o700);
    for (const f of files) expect([f, mode(join(data, f)) & 0o077]).toEqual([f, 0]);

    chmodSync(data, 0o755);
    chmodSync(join(data, 'switchboard.db'), 0o644);
    const sink = createMemorySink();
    const second = await createSwitchboard({ dataDir: data, durability: 'normal', sinks: [sink] });
    await second.close();
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'switchboard.db'))).toBe(0o600);
    expect(sink.ofType('store.permissions_repaired')[0]?.meta).toMatchObject({
      repaired: expect.arrayContaining(['.', 'switchboard.db']),
    });
  });
});
