export type { EventType, KnownEventType, LogEntry, LogSink } from './log-types';
export {
  createLogger,
  entryMetaJson,
  entryToJsonLine,
  REDACTED,
  type CreateLoggerOptions,
  type LogMeta,
  type Logger,
  type LoggerContext,
  type LoggerStats,
} from './logger';
export {
  createRetentionTask,
  createSqliteEventSink,
  type EventAppender,
  type RetentionTask,
  type RetentionTaskOptions,
  type SqliteEventSink,
  type SqliteEventSinkOptions,
  type SqliteEventSinkStats,
} from './sqlite-event-sink';
export {
  createJsonLinesFileSink,
  type JsonLinesFileSink,
  type JsonLinesFileSinkOptions,
  type JsonLinesFileSinkStats,
} from './json-lines-file-sink';
export { createElectronLogSink, type ElectronLogLike, type ElectronLogSink } from './electron-log-sink';
