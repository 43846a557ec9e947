import type { ILogger } from '@whiskeysockets/baileys/lib/Utils/logger';
import type { Logger } from '../../log/logger';
import { libraryLevel } from './library-notices';

const RANK = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 } as const;
type Level = keyof typeof RANK;

/**
 * Baileys logs through a pino-shaped object. This one forwards into the project's log, so library
 * warnings (decryption failures, retries) sit beside our own events. Below `warn` the library is very
 * chatty (every frame), so those levels are dropped unless asked for; its routine warnings and errors
 * (the 515 restart after a scan) are logged at their real level (library-notices.ts).
 */
export function createBaileysLogger(
  logger: Logger,
  level: Level = 'warn',
  bindings: Record<string, unknown> = {},
): ILogger {
  const emit = (at: Level, obj: unknown, msg?: string) => {
    if (RANK[at] < RANK[level]) return;
    const text = msg ?? (typeof obj === 'string' ? obj : 'baileys');
    const meta = {
      ...bindings,
      ...(typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>) : {}),
    };
    if (at === 'error' || at === 'warn') {
      const level = libraryLevel(text, meta, at);
      if (level === at) logger.log(at, at === 'error' ? 'baileys.error' : 'baileys.warn', text, meta);
      else logger.log(level, 'baileys.notice', text, meta);
    } else logger.debug('baileys.debug', text, meta);
  };
  return {
    level,
    child: (obj) => createBaileysLogger(logger, level, { ...bindings, ...obj }),
    trace: (obj, msg) => emit('trace', obj, msg),
    debug: (obj, msg) => emit('debug', obj, msg),
    info: (obj, msg) => emit('info', obj, msg),
    warn: (obj, msg) => emit('warn', obj, msg),
    error: (obj, msg) => emit('error', obj, msg),
  };
}
