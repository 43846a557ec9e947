// `npm run serve`: the headless host. The same core and UI as the desktop app, in a browser.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateAccessToken } from './access-token';
import { defaultDataDir, isLoopback, parseServeArgs, USAGE, type ServeOptions } from './cli';
import { type DemoController } from './host';
import { startRestartingHost } from './restarting-host';
import { ensureRendererBuild, PROJECT_ROOT, rendererBuildDir } from './renderer-build';
import { runCommand } from '../core/process/index';
import { makeNewFilesPrivate } from '../core/files/index';
import { explainDamagedDatabase, runDataCommand } from './data-commands';

const log = (line: string): void => console.log(line);

async function start(options: ServeOptions): Promise<() => Promise<void>> {
  if (options.command !== undefined) {
    await runDataCommand({
      dataDir: options.dataDir ?? defaultDataDir(),
      command: options.command,
      passphrase: process.env.SWITCHBOARD_PASSPHRASE,
      log,
    });
    // A one-off command: done once it has printed its result.
    setImmediate(() => process.exit(0));
    return () => Promise.resolve();
  }
  if (!isLoopback(options.host)) {
    log(
      `Warning: listening on ${options.host} makes Switchboard reachable from other computers on the network. ` +
        'Anyone with the access token can run it.',
    );
  }
  const staticDir = options.build ? await ensureRendererBuild(PROJECT_ROOT, log) : rendererBuildDir();

  let tempDir: string | undefined;
  if (options.dataDir === undefined) tempDir = mkdtempSync(join(tmpdir(), 'switchboard-demo-'));
  const dataDir = options.dataDir ?? tempDir!;
  const token = loadOrCreateAccessToken(dataDir, { rotate: options.newToken });

  let demo: DemoController | undefined;
  if (options.demo) {
    // Loaded only in demo mode: it makes this process trust the local WhatsApp server.
    const { startDemo } = await import('./demo');
    demo = await startDemo({ log: (line) => log(`[demo] ${line}`) });
  }
  const version = (
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const running = await startRestartingHost(
    {
      dataDir,
      token: token.token,
      host: options.host,
      port: options.port,
      staticDir,
      version,
      log,
      ...(demo !== undefined && { demo }),
    },
    (error) => {
      log(`Switchboard could not restart after the restore: ${(error as Error).message}`);
      process.exit(1);
    },
  ).catch(async (error: unknown) => {
    throw await explainDamagedDatabase(error, dataDir);
  });
  const host = running.current;

  log('');
  log(`Switchboard ${version} is running${demo !== undefined ? ' in demo mode' : ''}.`);
  log(`  Data folder:  ${dataDir}${tempDir !== undefined ? ' (temporary, removed on exit)' : ''}`);
  if (token.created) {
    log(`  Access token: ${token.token}`);
    log('                (shown this once; it is stored owner-only in the data folder)');
    log(`  Open:         ${host.url}/#token=${token.token}`);
  } else {
    log(`  Open:         ${host.url}/`);
    log(`  Access token: in ${token.path} (run with --new-token to replace it)`);
    if (token.repairedPermissions)
      log('                (its permissions were too open and are owner-only again)');
  }
  if (await host.app.cloudWebhooks.enabled())
    log(`  Webhooks:     ${host.url}/webhooks/whatsapp (Meta's callback, behind your HTTPS reverse proxy)`);
  log('Press Ctrl+C to stop.');
  return async () => {
    await running.current.backupOnQuit();
    await running.close();
    await demo?.stop();
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  };
}

// The data folder holds customers' messages and WhatsApp keys: what this process creates is private.
makeNewFilesPrivate();

void runCommand({
  parse: parseServeArgs,
  usage: USAGE,
  cannotStart: 'Switchboard could not start:',
  start,
});
