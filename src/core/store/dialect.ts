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

/** Every query first lets a starved event loop turn (see loop-yield): bursts stay responsive. */
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
