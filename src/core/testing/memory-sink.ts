import type { LogEntry, LogSink } from '../log/log-types';

/** Test support: a sink that keeps entries in an array, to assert what was logged. */
export function createMemorySink(): LogSink & { entries: LogEntry[]; ofType(type: string): LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    ofType: (type) => entries.filter((e) => e.type === type),
    write: (entry) => void entries.push(entry),
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
