import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseOptions, parsePort, SERVER_OPTIONS } from '../core/cli/index';
import { DATA_COMMAND_NAMES, DATA_COMMANDS_USAGE, type DataCommand } from './data-commands';

export interface ServeOptions {
  demo: boolean;
  host: string;
  port: number;
  /** Undefined in demo mode without --data-dir: a fresh temporary folder is used. */
  dataDir: string | undefined;
  newToken: boolean;
  /** Build the UI first when the build is missing or stale. */
  build: boolean;
  help: boolean;
  /** A backup command instead of the host (`npm run serve -- backups`). */
  command?: DataCommand;
}

export const DEFAULT_PORT = 4870;
export const defaultDataDir = (): string => join(homedir(), '.switchboard', 'data');

export const USAGE = `Usage: npm run serve -- [options]

  --demo             also start a local WhatsApp server with simulated customers (no phone needed)
  --host <address>   address to listen on (default 127.0.0.1: this computer only)
  --port <number>    port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --data-dir <path>  where the database and the access token live
                     (default $SWITCHBOARD_DATA_DIR or ~/.switchboard/data; a temporary folder with --demo)
  --new-token        replace the access token with a new one (printed once)
  --no-build         serve out/renderer as it is, even when it looks out of date
  --help             show this help

${DATA_COMMANDS_USAGE}`;

/** Parses `npm run serve -- ...` arguments; throws with a message that says what was wrong. */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  const options: ServeOptions = {
    demo: false,
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    dataDir: env.SWITCHBOARD_DATA_DIR,
    newToken: false,
    build: true,
    help: false,
  };
  const { values, positionals } = parseOptions(
    argv,
    {
      ...SERVER_OPTIONS,
      demo: { type: 'boolean' },
      'new-token': { type: 'boolean' },
      'no-build': { type: 'boolean' },
    },
    true,
  );
  if (values.demo === true) options.demo = true;
  if (values.host !== undefined) options.host = values.host;
  if (values.port !== undefined) options.port = parsePort(values.port, '--port');
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  const explicitDataDir = env.SWITCHBOARD_DATA_DIR !== undefined || values['data-dir'] !== undefined;
  if (values['new-token'] === true) options.newToken = true;
  if (values['no-build'] === true) options.build = false;
  if (values.help === true) options.help = true;
  if (positionals.length > 0) options.command = dataCommand(positionals);
  if (!explicitDataDir && !options.demo) options.dataDir = defaultDataDir();
  return options;
}

/** `backups`, `backup`, or `restore|move|import <file>`; anything else is not an option of the host. */
function dataCommand([name, file, ...extra]: string[]): DataCommand {
  if (!isDataCommandName(name)) throw new Error(`Unknown option ${name}`);
  const takesFile = name !== 'backups' && name !== 'backup';
  const unexpected = takesFile ? extra[0] : file;
  if (unexpected !== undefined) throw new Error(`Unknown option ${unexpected}`);
  if (!takesFile) return { name };
  if (file === undefined)
    throw new Error(`${name} needs a file${name === 'restore' ? ' (or "latest")' : ''}`);
  return { name, file };
}

function isDataCommandName(name: string | undefined): name is (typeof DATA_COMMAND_NAMES)[number] {
  return (DATA_COMMAND_NAMES as readonly (string | undefined)[]).includes(name);
}

/** Addresses only this computer can reach. */
export { isLoopback } from '../core/secrets/index';
