import BetterSqlite3 from 'better-sqlite3';

/**
 * Once WhatsApp has a client's delivery receipt it never delivers that message again, so from the
 * receipt on the message must survive a crash. The provider hands each decrypted message over *before*
 * Baileys sends the receipt (whatsapp/baileys/before-receipt), but the pipeline's ingest commits in
 * batches, later: until then the message would exist only in this process's memory.
 *
 * The journal closes that window. The pipeline appends each inbound message here synchronously, in the
 * same tick the provider emits it (so before the receipt), and deletes it once ingest has committed it
 * to the main database. On start, whatever is left is ingested again (ingest is idempotent on the
 * provider id).
 *
 * It is a separate SQLite file with its own connection on purpose: a synchronous write on the main
 * connection would join whatever kysely transaction is in flight, and a second connection to the main
 * file would wait (blocking the event loop) for that transaction's write lock. Here nobody else writes.
 * `synchronous = NORMAL` makes each append a write() without fsync (~20 µs): it survives the process
 * being killed; against a power cut it is as safe as the next fsync of the main database.
 */
export interface InboundJournal {
  append(key: string, payload: unknown): void;
  remove(keys: string[]): void;
  /** Entries left by an earlier run, oldest first. */
  pending(): { key: string; payload: unknown }[];
  size(): number;
  close(): void;
}

export function openInboundJournal(path: string): InboundJournal {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table if not exists inbound_journal (
    seq integer primary key autoincrement,
    key text not null unique,
    payload text not null,
    received_at integer not null
  )`);
  const insert = db.prepare(
    'insert into inbound_journal (key, payload, received_at) values (?, ?, ?) on conflict(key) do nothing',
  );
  const removeOne = db.prepare('delete from inbound_journal where key = ?');
  const removeMany = db.transaction((keys: string[]) => {
    for (const key of keys) removeOne.run(key);
  });
  const all = db.prepare('select key, payload from inbound_journal order by seq');
  const count = db.prepare('select count(*) as n from inbound_journal').pluck();
  let closed = false;
  return {
    append(key, payload) {
      if (closed) return;
      insert.run(key, JSON.stringify(payload), Date.now());
    },
    remove(keys) {
      if (closed || keys.length === 0) return;
      removeMany(keys);
    },
    pending() {
      return (all.all() as { key: string; payload: string }[]).map((row) => ({
        key: row.key,
        payload: JSON.parse(row.payload) as unknown,
      }));
    },
    size: () => count.get() as number,
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
