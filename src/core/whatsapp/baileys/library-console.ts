import type { LogLevel } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import { libraryLevel } from './library-notices';

/**
 * libsignal (and Baileys in a few places) write to the global console, whole objects included:
 * "Closing session: SessionEntry { ... privKey: <Buffer ...> }" put Signal private keys on standard
 * output, and from there into service logs and terminals. While a core runs, console calls made from
 * those packages go through the core's logger instead (`whatsapp.library_console`): the strings as the
 * message, every other argument as meta, where the logger's usual redaction applies (buffers become
 * "[Buffer 32 bytes]", secret-named keys "[redacted]"); nothing of them reaches the console. Calls from
 * anywhere else pass through untouched. Several cores in one process (tests) share the patch: the
 * newest still open gets the entries, and the console is restored when the last one closes.
 */
const LIBRARY_FRAME = /[\\/]node_modules[\\/](?:libsignal|@whiskeysockets[\\/]baileys)[\\/]/;
const METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const;
type Method = (typeof METHODS)[number];

const LEVEL: Record<Method, LogLevel> = {
  log: 'debug',
  info: 'debug',
  debug: 'debug',
  trace: 'debug',
  warn: 'warn',
  error: 'warn',
};

type Writer = (...args: unknown[]) => void;
/** The global console as a table of its methods (patched and restored in place). */
const globalConsole = console as unknown as Record<Method, Writer>;
const loggers: Logger[] = [];
let originals: Partial<Record<Method, Writer>> | undefined;

/** Whether the console call being made right now comes from libsignal or Baileys. */
function calledFromLibrary(): boolean {
  const stack = new Error().stack ?? '';
  // Frame 0 is "Error", 1 this function, 2 the patched method, 3 the caller.
  const caller = stack.split('\n')[3] ?? '';
  return LIBRARY_FRAME.test(caller);
}

function library(stackLine: string): string {
  return /libsignal/.test(stackLine) ? 'libsignal' : 'baileys';
}

/** Routes the libraries' console output to `logger` until the returned function is called. */
export function routeLibraryConsole(logger: Logger): () => void {
  loggers.push(logger);
  if (originals === undefined) {
    originals = {};
    for (const method of METHODS) {
      const original = globalConsole[method];
      originals[method] = original;
      globalConsole[method] = function (this: unknown, ...args: unknown[]) {
        const target = loggers.at(-1);
        if (target === undefined || !calledFromLibrary()) {
          original.apply(this, args);
          return;
        }
        const text = args.filter((a): a is string => typeof a === 'string').join(' ');
        const objects = args.filter((a) => typeof a !== 'string');
        const caller = (new Error().stack ?? '').split('\n')[2] ?? '';
        const meta = { library: library(caller), ...(objects.length > 0 && { args: objects }) };
        const level = libraryLevel(text, meta, LEVEL[method]);
        target.log(level, 'whatsapp.library_console', text === '' ? `console.${method}` : text, meta);
      };
    }
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    loggers.splice(loggers.lastIndexOf(logger), 1);
    if (loggers.length > 0 || originals === undefined) return;
    for (const method of METHODS) globalConsole[method] = originals[method]!;
    originals = undefined;
  };
}
