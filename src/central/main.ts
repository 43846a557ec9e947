// `npm run central`: the central sync server (enrollment, ingest, admin API and dashboard).
import { join } from 'node:path';
import { loadOrCreateAdminToken, ADMIN_TOKEN_ENV } from './admin-token';
import { isLoopback, parseCentralArgs, SQLITE_FILE, USAGE, type CentralOptions } from './cli';
import { openCentralDatabase, type DatabaseConfig } from './db/open';
import { runCommand } from '../core/process/index';
import { makeNewFilesPrivate, securePrivateFolder } from '../core/files/index';
import { loadOrCreateSecretKey } from './secret-key';
import { createCentralServer } from './server';

const log = (line: string): void => console.log(line);

async function start(options: CentralOptions): Promise<() => Promise<void>> {
  if (!isLoopback(options.host)) {
    log(
      `Warning: listening on ${options.host} makes the central server reachable from the network. Put it ` +
        'behind an HTTPS proxy: workspace and admin tokens travel in request headers.',
    );
  }
  // The database, the admin token and the secret key: readable by this user only (0700/0600).
  makeNewFilesPrivate();
  const folder = securePrivateFolder(options.dataDir);
  if (folder.repaired.length > 0)
    log(`Made ${folder.repaired.length} file(s) in ${options.dataDir} private to this user.`);
  if (folder.unsupported !== null) log(`Note: ${folder.unsupported}`);
  const admin = loadOrCreateAdminToken(options.dataDir, process.env, { rotate: options.newAdminToken });
  const secretKey = loadOrCreateSecretKey(options.dataDir);
  const config: DatabaseConfig =
    options.databaseUrl !== undefined
      ? { kind: 'postgres', url: options.databaseUrl }
      : { kind: 'sqlite', path: join(options.dataDir, SQLITE_FILE) };
  const database = await openCentralDatabase(config, { log });
  const server = createCentralServer({
    database,
    adminToken: admin.token,
    secretKey,
    updatesDir: join(options.dataDir, 'updates'),
    log,
  });
  let url: string;
  try {
    ({ url } = await server.listen(options.port, options.host));
  } catch (error) {
    await database.close();
    throw error;
  }

  log('');
  log('Switchboard central server is running.');
  log(`Listening on ${url}`);
  log(`  Dashboard:    ${url}/`);
  log(`  Database:     ${database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} at ${database.location}`);
  if (admin.source === 'env') {
    log(`  Admin token:  from ${ADMIN_TOKEN_ENV}`);
  } else if (admin.created) {
    log(`  Admin token:  ${admin.token}`);
    log(`                (shown this once; it is stored owner-only in ${admin.path})`);
  } else {
    log(`  Admin token:  in ${admin.path} (run with --new-admin-token to replace it)`);
    if (admin.repairedPermissions)
      log('                (its permissions were too open and are owner-only again)');
  }
  log('Press Ctrl+C to stop.');
  return async () => {
    await server.close();
    await database.close();
  };
}

void runCommand({
  parse: parseCentralArgs,
  usage: USAGE,
  cannotStart: 'The central server could not start:',
  start,
});
