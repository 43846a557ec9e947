import { homedir } from 'node:os';
import { join } from 'node:path';
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
  let explicitDataDir = env.SWITCHBOARD_DATA_DIR !== undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--demo':
        options.demo = true;
        break;
      case '--host':
        options.host = value();
        break;
      case '--port': {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535)
          throw new Error(`--port must be a number from 0 to 65535, not "${text}"`);
        options.port = port;
        break;
      }
      case '--data-dir':
        options.dataDir = value();
        explicitDataDir = true;
        break;
      case '--new-token':
        options.newToken = true;
        break;
      case '--no-build':
        options.build = false;
        break;
      case 'backups':
      case 'backup':
      case 'restore':
      case 'move':
      case 'import':
        options.command = dataCommand(flag, argv[++i]);
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`Unknown option ${arg}`);
    }
  }
  if (!explicitDataDir && !options.demo) options.dataDir = defaultDataDir();
  return options;
}

function dataCommand(name: (typeof DATA_COMMAND_NAMES)[number], file: string | undefined): DataCommand {
  if (name === 'backups' || name === 'backup') return { name };
  if (file === undefined || file.startsWith('--')) {
    throw new Error(`${name} needs a file${name === 'restore' ? ' (or "latest")' : ''}`);
  }
  return { name, file };
}

/** Addresses only this computer can reach. */
export { isLoopback } from '../core/secrets/index';
