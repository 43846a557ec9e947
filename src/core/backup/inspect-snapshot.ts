import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What a backup holds, for the list the owner picks from (read from the copy, not the live database). */
export interface SnapshotContents {
  /** 'ok', or SQLite's list of problems. */
  integrity: string[];
  schema: string | null;
  workspaces: { id: string; name: string; messages: number }[];
  /** Numbers with a stored WhatsApp session reconnect without a QR after a restore; the others need a scan. */
  numbers: { workspaceId: string; e164: string; provider: string; hasSession: boolean }[];
}

// Plain CommonJS run in a worker thread: integrity_check and counting reads every page of the file, which
// for a 1 GB database is seconds of synchronous work that must not stop the app's event loop.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
const has = (t) => db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(t) !== undefined;
try {
  const integrity = workerData.integrity
    ? db.pragma('integrity_check(20)').map((row) => String(row.integrity_check))
    : ['ok'];
  const schema = has('kysely_migration')
    ? db.prepare('select max(name) from kysely_migration').pluck().get() ?? null
    : null;
  const counts = new Map(
    has('messages')
      ? db.prepare('select workspace_id as id, count(*) as n from messages group by workspace_id').all().map((r) => [r.id, r.n])
      : [],
  );
  const workspaces = has('workspaces')
    ? db.prepare('select id, name from workspaces order by name').all().map((w) => ({ id: w.id, name: w.name, messages: counts.get(w.id) ?? 0 }))
    : [];
  const numbers = has('phone_numbers')
    ? db.prepare(
        "select p.workspace_id as workspaceId, p.e164 as e164, coalesce(p.provider, 'baileys') as provider, " +
        (has('wa_auth_creds') ? 'exists(select 1 from wa_auth_creds c where c.phone_number_id = p.id)' : '0') +
        ' as hasSession from phone_numbers p order by p.e164').all().map((n) => ({ ...n, hasSession: n.hasSession === 1 }))
    : [];
  parentPort.postMessage({ integrity, schema, workspaces, numbers });
} finally {
  db.close();
}
`;

const driverPath = (): string => createRequire(import.meta.url).resolve('better-sqlite3');

/** Opens a database copy read-only in a worker thread; `integrity` also runs SQLite's full check. */
export function inspectSnapshot(path: string, options: { integrity: boolean }): Promise<SnapshotContents> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, integrity: options.integrity, driver: driverPath() },
    });
    let contents: SnapshotContents | undefined;
    let failed = false;
    worker.once('message', (message: SnapshotContents) => (contents = message));
    worker.once('error', (error) => {
      failed = true;
      reject(error);
    });
    // Settled once the worker is gone: its connection is closed, so the copy may be changed or moved.
    worker.once('exit', (code) => {
      if (failed) return;
      if (contents !== undefined) resolve(contents);
      else reject(new Error(`the database check stopped early (exit code ${code})`));
    });
  });
}
