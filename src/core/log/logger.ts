import { LOG_LEVELS, type LogLevel } from '../../shared/types';
import { capMeta, safeMessage, safeString, safeType, sanitizeMeta, type LogMeta } from './log-safety';
import type { EventType, LogEntry, LogSink } from './log-types';

export {
  MAX_MESSAGE_CHARS,
  MAX_META_BYTES,
  MAX_TYPE_CHARS,
  REDACTED,
  redactSecretValues,
  safeMessage,
  safeString,
  sanitizeMeta,
  type LogMeta,
} from './log-safety';

/**
 * The structured logger. Every decision the system takes is logged, so a log call sits on every hot
 * path: it must never throw, never wait for the disk, and never let a secret or an unserialisable
 * value reach a sink. Entries are built once here (meta sanitised, capped and serialised) and handed to
 * each sink, which buffers and writes later.
 */

export interface LoggerContext {
  workspaceId?: string | null;
  contactId?: string | null;
  /** Merged into every entry of the child; a call's own meta wins on a key clash. */
  meta?: LogMeta;
}

export interface CreateLoggerOptions {
  sinks: LogSink[];
  workspaceId?: string | null;
  contactId?: string | null;
  /** Calls below this level return at once, before any work. Default 'debug'. */
  minLevel?: LogLevel;
  /** Wall clock for `ts`, and for `time()` durations when given (tests move it by hand). */
  now?: () => number;
}

export interface LoggerStats {
  /** Calls to a sink's write that threw; the entry still went to the other sinks. */
  sinkErrors: number;
  /** Entries lost to a bug in the logger itself (should stay 0). */
  internalErrors: number;
}

export interface Logger {
  debug(type: EventType, message: string, meta?: LogMeta): void;
  info(type: EventType, message: string, meta?: LogMeta): void;
  warn(type: EventType, message: string, meta?: LogMeta): void;
  error(type: EventType, message: string, meta?: LogMeta): void;
  log(level: LogLevel, type: EventType, message: string, meta?: LogMeta): void;
  /** An info entry whose meta carries `durationMs`. */
  perf(type: EventType, durationMs: number, meta?: LogMeta): void;
  /** Starts a timer; the returned stop function logs `perf` and returns the duration in ms. */
  time(type: EventType): (meta?: LogMeta) => number;
  child(context: LoggerContext): Logger;
  isEnabled(level: LogLevel): boolean;
  stats(): LoggerStats;
  /** Never rejects: a sink that fails to flush is counted, not thrown. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const shared: Shared = {
    sinks: [...options.sinks],
    minRank: LEVEL_RANK[options.minLevel ?? 'debug'] ?? 0,
    now: options.now ?? Date.now,
    clock: options.now ?? (() => performance.now()),
    stats: { sinkErrors: 0, internalErrors: 0 },
  };
  return new StructuredLogger(shared, {
    workspaceId: contextId(options.workspaceId),
    contactId: contextId(options.contactId),
    meta: null,
  });
}

interface Shared {
  sinks: LogSink[];
  minRank: number;
  now: () => number;
  clock: () => number;
  stats: LoggerStats;
}

interface Context {
  workspaceId: string | null;
  contactId: string | null;
  /** Already sanitised, so each entry only merges it. */
  meta: LogMeta | null;
}

/**
 * Methods live on the prototype, not in per-logger closures: code takes a child per message
 * (`logger.child({ contactId })`), so a child must cost an object, not a dozen functions. Called
 * detached (`const { info } = logger`) a method has no `this`; it then drops the entry rather than
 * throw, so pass `(...) => logger.info(...)` as a callback.
 */
class StructuredLogger implements Logger {
  constructor(
    private readonly shared: Shared,
    private readonly context: Context,
  ) {}

  debug(type: EventType, message: string, meta?: LogMeta): void {
    emit(this, 'debug', type, message, meta);
  }

  info(type: EventType, message: string, meta?: LogMeta): void {
    emit(this, 'info', type, message, meta);
  }

  warn(type: EventType, message: string, meta?: LogMeta): void {
    emit(this, 'warn', type, message, meta);
  }

  error(type: EventType, message: string, meta?: LogMeta): void {
    emit(this, 'error', type, message, meta);
  }

  log(level: LogLevel, type: EventType, message: string, meta?: LogMeta): void {
    emit(this, isLogLevel(level) ? level : 'info', type, message, meta);
  }

  perf(type: EventType, durationMs: number, meta?: LogMeta): void {
    if (!(this instanceof StructuredLogger) || LEVEL_RANK.info < this.shared.minRank) return;
    const ms = typeof durationMs === 'number' && Number.isFinite(durationMs) ? round3(durationMs) : null;
    let withDuration: unknown;
    try {
      withDuration =
        meta === undefined || meta === null ? { durationMs: ms } : { ...sanitizeMeta(meta), durationMs: ms };
    } catch {
      withDuration = { durationMs: ms };
    }
    emit(this, 'info', type, `${safeType(type)} took ${ms ?? '?'} ms`, withDuration);
  }

  time(type: EventType): (meta?: LogMeta) => number {
    const clock = this instanceof StructuredLogger ? this.shared.clock : () => performance.now();
    const start = safeCall(clock, 0);
    return (meta) => {
      const duration = safeCall(clock, start) - start;
      if (this instanceof StructuredLogger) this.perf(type, duration, meta);
      return duration;
    };
  }

  child(childContext: LoggerContext): Logger {
    const { shared, context } = this;
    let meta = context.meta;
    let workspaceId = context.workspaceId;
    let contactId = context.contactId;
    try {
      const own = childContext?.meta === undefined ? null : sanitizeMeta(childContext.meta);
      if (own !== null) meta = meta === null ? own : { ...meta, ...own };
      if (childContext?.workspaceId !== undefined) workspaceId = contextId(childContext.workspaceId);
      if (childContext?.contactId !== undefined) contactId = contextId(childContext.contactId);
    } catch {
      shared.stats.internalErrors += 1;
    }
    return new StructuredLogger(shared, { workspaceId, contactId, meta });
  }

  isEnabled(level: LogLevel): boolean {
    return (LEVEL_RANK[level] ?? 0) >= this.shared.minRank;
  }

  stats(): LoggerStats {
    return { ...this.shared.stats };
  }

  flush(): Promise<void> {
    return settleAll(this.shared, (sink) => sink.flush());
  }

  close(): Promise<void> {
    return settleAll(this.shared, (sink) => sink.close());
  }
}

function emit(
  logger: StructuredLogger,
  level: LogLevel,
  type: unknown,
  message: unknown,
  meta: unknown,
): void {
  if (!(logger instanceof StructuredLogger)) return;
  const shared = logger['shared'];
  if ((LEVEL_RANK[level] ?? 0) < shared.minRank) return;
  let entry: LogEntry;
  try {
    entry = buildEntry(shared, logger['context'], level, type, message, meta);
  } catch {
    shared.stats.internalErrors += 1;
    return;
  }
  for (const sink of shared.sinks) {
    try {
      sink.write(entry);
    } catch {
      shared.stats.sinkErrors += 1;
    }
  }
}

async function settleAll(shared: Shared, fn: (sink: LogSink) => Promise<void>): Promise<void> {
  await Promise.all(
    shared.sinks.map(async (sink) => {
      try {
        await fn(sink);
      } catch {
        shared.stats.sinkErrors += 1;
      }
    }),
  );
}

function contextId(value: unknown): string | null {
  return typeof value === 'string' ? safeString(value, 200) : null;
}

/**
 * A logger-built entry: a plain-looking object that also carries its meta already serialised, so
 * every sink reuses one JSON.stringify. A private field rather than a WeakMap (whose bookkeeping cost
 * more than the rest of a log call under load) or a visible property (which would change the shape
 * sinks and tests see).
 */
class BuiltEntry implements LogEntry {
  readonly #metaJson: string | null;

  constructor(
    public ts: number,
    public level: LogLevel,
    public type: EventType,
    public workspaceId: string | null,
    public contactId: string | null,
    public message: string,
    public meta: LogMeta | null,
    metaJson: string | null,
  ) {
    this.#metaJson = metaJson;
  }

  static metaJsonOf(entry: LogEntry): string | null | undefined {
    return typeof entry === 'object' && entry !== null && #metaJson in entry ? entry.#metaJson : undefined;
  }
}

function buildEntry(
  shared: Shared,
  context: Context,
  level: LogLevel,
  type: unknown,
  message: unknown,
  meta: unknown,
): LogEntry {
  let ts = safeCall(shared.now, Number.NaN);
  if (!Number.isFinite(ts)) ts = Date.now();
  let merged: LogMeta | null = context.meta;
  if (meta !== undefined && meta !== null) {
    const own = sanitizeMeta(meta);
    merged = merged === null ? own : { ...merged, ...own };
  }
  const { meta: capped, json } = capMeta(merged);
  return new BuiltEntry(
    Math.trunc(ts),
    level,
    safeType(type),
    context.workspaceId,
    context.contactId,
    safeMessage(message),
    capped,
    json,
  );
}

/** An entry's meta as JSON text (null for none): as built for logger entries, made safe otherwise. */
export function entryMetaJson(entry: LogEntry): string | null {
  const built = BuiltEntry.metaJsonOf(entry);
  if (built !== undefined) return built;
  try {
    return capMeta(entry.meta == null ? null : sanitizeMeta(entry.meta)).json;
  } catch {
    return '{"metaError":"unserialisable"}';
  }
}

/** One JSON line (no newline) for text sinks, reusing the cached meta. */
export function entryToJsonLine(entry: LogEntry): string {
  return (
    `{"ts":${Number.isFinite(entry.ts) ? Math.trunc(entry.ts) : 0}` +
    `,"level":${JSON.stringify(isLogLevel(entry.level) ? entry.level : 'info')}` +
    `,"type":${JSON.stringify(safeType(entry.type))}` +
    `,"workspaceId":${typeof entry.workspaceId === 'string' ? JSON.stringify(safeString(entry.workspaceId, 200)) : 'null'}` +
    `,"contactId":${typeof entry.contactId === 'string' ? JSON.stringify(safeString(entry.contactId, 200)) : 'null'}` +
    `,"message":${JSON.stringify(safeMessage(entry.message))}` +
    `,"meta":${entryMetaJson(entry) ?? 'null'}}`
  );
}

function safeCall(fn: () => number, fallback: number): number {
  try {
    const v = fn();
    return typeof v === 'number' ? v : fallback;
  } catch {
    return fallback;
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
