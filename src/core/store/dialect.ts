import { SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';

/**
 * SQLite runs DDL inside transactions, but kysely's adapter says it does not, so its Migrator would
 * apply a migration statement by statement: a power cut half-way would leave a half-migrated file.
 * Claiming transactional DDL makes each migration all-or-nothing.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Queries never yield to the event loop here, on purpose (tried, measured, reverted): Baileys
 * acknowledges a message before emitting it, and the pipeline's journal append runs in the same
 * microtask chain as that acknowledgement, before the ack's bytes leave the process. Yielding inside
 * that chain let the ack reach WhatsApp first, and the kill -9 test then lost about 9 of 200 messages.
 * The cost is event-loop stalls during large bursts (see the README's benchmark notes).
 */
export class SwitchboardSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
