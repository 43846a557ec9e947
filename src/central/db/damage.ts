import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { CentralError } from '../errors';

/**
 * A database that says its own file or pages are damaged: SQLite's SQLITE_CORRUPT (and its extended
 * codes) or SQLITE_NOTADB, PostgreSQL's data_corrupted (XX001) and index_corrupted (XX002).
 */
export function isDamageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'XX001' || code === 'XX002'
  );
}

/** Clients are asked to come back in this long: the damage lasts until an administrator restores a backup. */
const DAMAGED_RETRY_AFTER_S = 300;

/** The answer to every write once the database is damaged; it goes to clients, so it names no path. */
export function damagedError(detail: string): CentralError {
  return new CentralError(
    'UNAVAILABLE',
    `The central database is damaged (${detail}); it takes no more writes until an administrator ` +
      'restores it from a backup. Events wait on their computers and are sent again then.',
    { headers: { 'Retry-After': String(DAMAGED_RETRY_AFTER_S) } },
  );
}

const WRITES = new Set<RootOperationNode['kind']>([
  'InsertQueryNode',
  'UpdateQueryNode',
  'DeleteQueryNode',
  'MergeQueryNode',
]);

/**
 * Refuses every insert, update and delete once `damage()` names a problem, before it reaches the
 * database: writing on into a damaged file spreads the damage and makes what a backup would restore
 * disagree with what clients were told was stored.
 */
export class WriteGuardPlugin implements KyselyPlugin {
  constructor(private readonly damage: () => CentralError | null) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (WRITES.has(args.node.kind)) {
      const refusal = this.damage();
      if (refusal !== null) throw refusal;
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
