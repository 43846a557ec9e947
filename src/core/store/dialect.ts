import {
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
} from 'kysely';
import { yieldIfStarved } from '../loop-yield';

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
 * Every query first lets a starved event loop turn (see loop-yield): without it a 2,000-message burst
 * with real Baileys stalled the loop for up to 10 s. This is safe for durability only because inbound
 * messages are journaled synchronously *before* Baileys sends the delivery receipt
 * (whatsapp/baileys/before-receipt); an earlier try, when the journal write still followed the receipt,
 * let the receipt leave first and the kill -9 test lost messages.
 */
class YieldingSqliteDriver extends SqliteDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    await yieldIfStarved();
    return super.acquireConnection();
  }
}

export class SwitchboardSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  override createDriver(): Driver {
    return new YieldingSqliteDriver(this.#config);
  }
}
