// Power cuts: a writer process (messages, media files, backups) killed with SIGKILL at random points,
// hundreds of times, on two data folders at once. After every kill: the database passes SQLite's
// integrity check and holds every acknowledged message, every media file under its final name is whole
// (its content hashes to its name), and every archive that carries a backup's final name decrypts whole
// and holds a database that passes the integrity check. Half-written ones only ever have temporary names.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchiveHeader } from '../../src/core/backup/archive-format';
import { openArchiveKey } from '../../src/core/backup/archive-keys';
import { extractArchive } from '../../src/core/backup/backup-archive';
import { createFileKeySecretBox } from '../../src/core/secrets/file-key-secret-box';
import { makeTempDir } from '../../src/core/testing/temp-files';

// 100 kills per run keeps the whole suite inside its 15-minute budget; POWER_CUT_RUNS=500 for a longer soak.
const RUNS = Number(process.env.POWER_CUT_RUNS ?? 100);
const LANES = 2;
const ROOT = join(import.meta.dirname, '..', '..');
const BUNDLE = join(ROOT, 'node_modules', '.cache', 'switchboard-power-cut', 'writer-process.mjs');
let temp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  temp = makeTempDir('switchboard-power-cut-');
  // One bundle, started hundreds of times: no TypeScript loader on each start.
  await build({
    entryPoints: [join(import.meta.dirname, 'writer-process.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    banner: {
      js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
}, 60_000);
afterAll(() => temp?.cleanup());

/**
 * Starts the writer and kills it `afterMs` after it is ready (or, `afterBackup`, after its first whole
 * backup: into the messages, media and next backup that follow); resolves with the last acknowledged total.
 */
function runAndKill(dataDir: string, seed: string, afterMs: number, afterBackup: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, dataDir, seed], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === (afterBackup ? 'BACKUP' : 'READY')) setTimeout(() => child.kill('SIGKILL'), afterMs);
        else if (line.startsWith('ACK ')) acked = Number(line.slice(4));
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`the writer stopped by itself (code ${code}): ${stderr}`));
    });
  });
}

function checkDatabase(path: string, acked: number): void {
  const db = new BetterSqlite3(path);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = db.prepare('select count(*) from messages').pluck().get() as number;
    expect(count).toBeGreaterThanOrEqual(acked);
  } finally {
    db.close();
  }
}

function checkMedia(dataDir: string): number {
  const root = join(dataDir, 'media');
  if (!existsSync(root)) return 0;
  let whole = 0;
  for (const sub of readdirSync(root)) {
    for (const name of readdirSync(join(root, sub))) {
      if (name.startsWith('.')) continue; // still being written when the power went
      expect(
        createHash('sha256')
          .update(readFileSync(join(root, sub, name)))
          .digest('hex'),
      ).toBe(name);
      whole++;
    }
  }
  return whole;
}

/** Every archive with a final name decrypts whole and holds a sound database (each checked once). */
async function checkBackups(dataDir: string, verified: Set<string>): Promise<void> {
  const folder = join(dataDir, 'backups');
  if (!existsSync(folder)) return;
  const secrets = createFileKeySecretBox({ dataDir });
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.swbk'))) {
    if (verified.has(name)) continue;
    const file = join(folder, name);
    const key = await openArchiveKey((await readArchiveHeader(file)).key, { secrets });
    // Two lanes can name a backup in the same millisecond: each lane extracts into its own folder.
    const out = join(temp.dir, `check-${basename(dataDir)}-${name}`);
    try {
      const manifest = await extractArchive(file, key, out);
      const db = new BetterSqlite3(join(out, 'switchboard.db'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.prepare('select count(*) from messages').pluck().get()).toBe(
          manifest.workspaces[0]?.messages,
        );
      } finally {
        db.close();
      }
      for (const entry of manifest.entries.filter((e) => e.startsWith('media/'))) {
        const hash = entry.split('/').at(-1)!;
        expect(
          createHash('sha256')
            .update(readFileSync(join(out, entry)))
            .digest('hex'),
        ).toBe(hash);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    verified.add(name);
  }
}

describe('power cuts while messages, media and backups are written', () => {
  it(`${RUNS} kills at random points leave no corrupt database, no half media and no false backup`, async () => {
    const totals = { kills: 0, backups: 0, media: 0, messages: 0 };
    const lane = async (index: number) => {
      const dataDir = join(temp.dir, `lane-${index}`);
      mkdirSync(dataDir, { recursive: true });
      const verified = new Set<string>();
      for (let run = index; run < RUNS; run += LANES) {
        // Anywhere in the first rounds: messages, media, and a backup from the second round on.
        const afterMs = Math.floor(Math.random() * 700);
        const acked = await runAndKill(dataDir, `r${run}`, afterMs, run % 10 === index);
        checkDatabase(join(dataDir, 'switchboard.db'), acked);
        totals.media = Math.max(totals.media, checkMedia(dataDir));
        await checkBackups(dataDir, verified);
        totals.kills++;
        totals.messages = Math.max(totals.messages, acked);
      }
      totals.backups += verified.size;
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    // eslint-disable-next-line no-console -- what the kills hit, for a reader of the test output
    console.log(`power cuts: ${JSON.stringify(totals)}`);
    expect(totals.kills).toBe(RUNS);
    expect(totals.backups).toBeGreaterThan(0); // kills did land after whole backups too
  }, 600_000);
});
