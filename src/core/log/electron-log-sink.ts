import { assertNever } from '../errors';
import type { LogEntry, LogSink } from './log-types';
import { entryToJsonLine, isLogLevel } from './logger';

/**
 * The shape of electron-log's logger that this sink uses, typed structurally so the core never
 * imports electron (electron-log/main requires it). The desktop shell passes its configured instance.
 */
export interface ElectronLogLike {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface ElectronLogSink extends LogSink {
  stats(): { written: number; errors: number };
}

/**
 * Writes each entry as one JSON line through electron-log, whose file transport rotates the file.
 * electron-log's file transport writes synchronously by default; the shell should set
 * `transports.file.sync = false` so a log call never waits for the disk.
 */
export function createElectronLogSink(log: ElectronLogLike): ElectronLogSink {
  const stats = { written: 0, errors: 0 };
  let closed = false;

  const send = (entry: LogEntry, line: string): void => {
    const level = isLogLevel(entry.level) ? entry.level : 'info';
    switch (level) {
      case 'debug':
        return log.debug(line);
      case 'info':
        return log.info(line);
      case 'warn':
        return log.warn(line);
      case 'error':
        return log.error(line);
      default:
        return assertNever(level, 'log level');
    }
  };

  return {
    write(entry) {
      if (closed) return;
      try {
        send(entry, entryToJsonLine(entry));
        stats.written += 1;
      } catch {
        stats.errors += 1;
      }
    },
    // electron-log queues and writes on its own; there is nothing of ours to wait for.
    flush: () => Promise.resolve(),
    close() {
      closed = true;
      return Promise.resolve();
    },
    stats: () => ({ ...stats }),
  };
}
