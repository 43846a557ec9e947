// `npm run bench -- backup`: an encrypted, checked backup of a 1 GB database (BACKUP_BENCH_MB to change),
// against a plain file copy of the same database in the same run, and the app's event-loop delay while
// the backup runs (goal: p99 under 20 ms) against the idle loop's. The database is built once, fast
// (no journal, no fsync), and cached under node_modules/.cache.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { createBackupService } from '../src/core/backup/backup-service';
import { createLogger } from '../src/core/log/logger';
import { createFileKeySecretBox } from '../src/core/secrets/file-key-secret-box';
import { openDatabase } from '../src/core/store/open-database';

const MB = Number(process.env.BACKUP_BENCH_MB ?? 1024);
const CACHE = join(import.meta.dirname, '..', 'node_modules', '.cache', 'switchboard-bench');
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A migrated database of about `mb` megabytes of customer messages, built once and cached. */
async function cachedDatabase(mb: number): Promise<string> {
  const path = join(CACHE, `backup-${mb}mb.db`);
  if (existsSync(path)) return path;
  mkdirSync(CACHE, { recursive: true });
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const store = await openDatabase({ path: building });
  await store.close();
  const db = new BetterSqlite3(building);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(`insert into workspaces (id, name, default_country, bot_mode, tier, settings, created_at, updated_at)
    values ('ws-bench', 'Mama Put', 'NG', 'faq', 'free', '{}', 1, 1)`);
  const started = Date.now();
  const insert = db.prepare(`
    with recursive n(i) as (select ? union all select i + 1 from n where i < ?)
    insert into messages (id, workspace_id, business_number, provider_message_id, chat_id, direction, author,
                          text, status, provider_ts, created_at, updated_at)
    select 'm' || i, 'ws-bench', '+2348090000001', 'P' || i, 'chat-' || (i % 5000), 'in', 'contact',
           'How much be the jollof rice today? Order number ' || i || ' ' || hex(randomblob(180)),
           'received', i, 1700000000000 + i, 1700000000000 + i from n`);
  for (let from = 0; statSync(building).size < mb * 1024 * 1024; from += 100_000) {
    db.transaction(() => insert.run(from, from + 99_999))();
  }
  db.close();
  renameSync(building, path);
  log(
    `built ${path} (${Math.round(statSync(path).size / 1e6)} MB) in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return path;
}

/** The loop's delay p99 (ms) while `work` runs. */
async function loopDelayDuring(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await work();
  histogram.disable();
  return histogram.percentile(99) / 1e6;
}

async function main() {
  const source = await cachedDatabase(MB);
  const bytes = statSync(source).size;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-backup-bench-'));
  try {
    // Baseline: a plain copy of the same file (no consistency, no encryption, no check).
    const copyStarted = performance.now();
    copyFileSync(source, join(dir, 'plain-copy.db'));
    const copySeconds = (performance.now() - copyStarted) / 1000;
    rmSync(join(dir, 'plain-copy.db'));

    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    copyFileSync(source, join(dataDir, 'switchboard.db'));
    const store = await openDatabase({ path: join(dataDir, 'switchboard.db') });
    const backups = createBackupService({
      dataDir,
      store,
      secrets: createFileKeySecretBox({ dataDir }),
      logger: createLogger({ sinks: [] }),
      now: () => Date.now(),
    });
    const idle = await loopDelayDuring(() => new Promise((resolve) => setTimeout(resolve, 2000)));
    let seconds = 0;
    // Where the time goes: when each phase starts.
    let phase = '';
    const phaseStarted = performance.now();
    backups.subscribe({
      progressed: (p) => {
        if (p.phase === phase) return;
        phase = p.phase;
        log(`  ${p.phase} from ${((performance.now() - phaseStarted) / 1000).toFixed(1)} s`);
      },
    });
    const busy = await loopDelayDuring(async () => {
      const started = performance.now();
      const entry = await backups.create('bench');
      seconds = (performance.now() - started) / 1000;
      log(`backup ${entry.name}: ${Math.round(entry.bytes / 1e6)} MB in ${seconds.toFixed(1)} s`);
    });
    await store.close();

    const rate = bytes / 1024 / 1024 / seconds;
    const copyRate = bytes / 1024 / 1024 / copySeconds;
    const line = (name: string, value: number, unit: string, baseline: number) =>
      process.stdout.write(
        `${JSON.stringify({
          name,
          value: Math.round(value * 10) / 10,
          unit,
          baseline: Math.round(baseline * 10) / 10,
          ratio: Math.round((value / baseline) * 100) / 100,
        })}\n`,
      );
    line('backup.mb_per_s', rate, 'MB/s', copyRate);
    line('backup.loop_delay.p99', busy, 'ms', idle);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
