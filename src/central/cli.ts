import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseOptions, parsePort, SERVER_OPTIONS } from '../core/cli/index';

export interface CentralOptions {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL when set; SQLite in the data folder otherwise. */
  databaseUrl: string | undefined;
  newAdminToken: boolean;
  help: boolean;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const SQLITE_FILE = 'central.db';
export const defaultDataDir = (): string => join(homedir(), '.switchboard', 'central');

export const USAGE = `Usage: npm run central -- [options]

  --host <address>        address to listen on (default $CENTRAL_HOST or ${DEFAULT_HOST}: this computer only)
  --port <number>         port to listen on (default $CENTRAL_PORT or ${DEFAULT_PORT}; 0 picks a free one)
  --data-dir <path>       where the admin token and the SQLite database (${SQLITE_FILE}) live
                          (default $CENTRAL_DATA_DIR or ~/.switchboard/central)
  --database-url <url>    use PostgreSQL instead of SQLite (default $DATABASE_URL),
                          e.g. postgres://user:password@db.example.com:5432/switchboard
  --new-admin-token       replace the admin token with a new one (printed once); signs out every session
  --help                  show this help

The admin token is $CENTRAL_ADMIN_TOKEN when set, otherwise <data-dir>/central-admin-token (made on first
start, printed once, readable by this user only).`;

/** Parses `npm run central -- ...`; throws with a message that says what was wrong. */
export function parseCentralArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): CentralOptions {
  const options: CentralOptions = {
    host: nonEmpty(env.CENTRAL_HOST) ?? DEFAULT_HOST,
    port: DEFAULT_PORT,
    dataDir: nonEmpty(env.CENTRAL_DATA_DIR) ?? defaultDataDir(),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    newAdminToken: false,
    help: false,
  };
  const envPort = nonEmpty(env.CENTRAL_PORT);
  if (envPort !== undefined) options.port = parsePort(envPort, 'CENTRAL_PORT');
  const { values } = parseOptions(argv, {
    ...SERVER_OPTIONS,
    'database-url': { type: 'string' },
    'new-admin-token': { type: 'boolean' },
  });
  if (values.host !== undefined) options.host = values.host;
  if (values.port !== undefined) options.port = parsePort(values.port, '--port');
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  if (values['database-url'] !== undefined) options.databaseUrl = values['database-url'];
  if (values['new-admin-token'] === true) options.newAdminToken = true;
  if (values.help === true) options.help = true;
  if (options.databaseUrl !== undefined && !/^postgres(ql)?:\/\//i.test(options.databaseUrl)) {
    throw new Error(
      'The database URL must start with postgres:// or postgresql:// (leave DATABASE_URL and --database-url ' +
        'unset to use SQLite in the data folder)',
    );
  }
  return options;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** Addresses only this computer can reach. */
export { isLoopback } from '../core/secrets/index';
