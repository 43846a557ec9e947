import { LOG_LEVELS, type LogLevel } from '../../shared/types';
import type { EventType, LogEntry, LogSink } from './log-types';

/**
 * The structured logger. Every decision the system takes is logged, so a log call sits on every hot
 * path: it must never throw, never wait for the disk, and never let a secret or an unserialisable
 * value reach a sink. Entries are built once here (meta sanitised, capped and serialised) and handed to
 * each sink, which buffers and writes later.
 */

export type LogMeta = Record<string, unknown>;

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

export const MAX_MESSAGE_CHARS = 8 * 1024;
export const MAX_META_BYTES = 32 * 1024;
/** The events table refuses longer types (CHECK constraint): cut here rather than lose the batch. */
export const MAX_TYPE_CHARS = 100;
const MAX_META_STRING_CHARS = 8 * 1024;
const MAX_DEPTH = 10;
const MAX_ITEMS = 200;
const META_PREVIEW_CHARS = 1024;
export const REDACTED = '[redacted]';
const SECRET_KEY = /token|secret|password|apikey|api_key|authorization|creds|privatekey|privkey/i;
/**
 * Secrets by what they look like, wherever they are: a bearer credential, and the API keys of the AI
 * services and code hosts shops use (OpenAI/OpenRouter/Anthropic `sk-`, Groq `gsk_`, Google `AIza`,
 * Slack `xox?-`, GitHub `gh?_`). Only the secret part is replaced; the words around it stay.
 */
const SECRET_VALUE =
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}|\b(sk|rk|pk)-[A-Za-z0-9_-]{12,}|\bgsk_[A-Za-z0-9]{16,}|\bAIza[0-9A-Za-z_-]{30,}|\bxox[abpr]-[A-Za-z0-9-]{10,}|\bgh[pousr]_[A-Za-z0-9]{30,}/g;

/** A string with the secrets it carries replaced (see SECRET_VALUE). */
export function redactSecretValues(text: string): string {
  SECRET_VALUE.lastIndex = 0;
  if (!SECRET_VALUE.test(text)) return text;
  return text.replace(SECRET_VALUE, (found, scheme?: string) =>
    scheme === undefined ? REDACTED : `${scheme} ${REDACTED}`,
  );
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

// ---------------------------------------------------------------------------------------------------
// Making values safe. Everything below returns JSON-safe data and never throws on odd input.

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

/** Sanitised meta, or null when there is nothing to keep. Non-object meta is wrapped as `{ value }`. */
export function sanitizeMeta(meta: unknown): LogMeta | null {
  if (meta === undefined || meta === null) return null;
  let clean: unknown;
  try {
    clean = sanitizeValue(meta, 0, []);
  } catch (error) {
    return { metaError: `meta could not be read: ${safeString(describe(error), 200)}` };
  }
  if (clean !== null && typeof clean === 'object' && !Array.isArray(clean)) return clean as LogMeta;
  return { value: clean === undefined ? null : clean };
}

function capMeta(meta: LogMeta | null): { meta: LogMeta | null; json: string | null } {
  if (meta === null || Object.keys(meta).length === 0) return { meta: null, json: null };
  let json: string;
  try {
    json = JSON.stringify(meta);
  } catch {
    const fallback = { metaError: 'unserialisable' };
    return { meta: fallback, json: JSON.stringify(fallback) };
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only count bytes when it could matter.
  const bytes = json.length * 3 <= MAX_META_BYTES ? json.length : Buffer.byteLength(json);
  if (bytes <= MAX_META_BYTES) return { meta, json };
  const truncated = { metaTruncated: true, bytes, preview: wellFormed(json.slice(0, META_PREVIEW_CHARS)) };
  return { meta: truncated, json: JSON.stringify(truncated) };
}

function sanitizeValue(value: unknown, depth: number, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'string':
      return redactSecretValues(safeString(value, MAX_META_STRING_CHARS));
    case 'number':
      // JSON would turn these into null and lose what went wrong.
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return undefined;
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
    case 'object':
      return value === null ? null : sanitizeObject(value, depth, ancestors);
    default:
      return String(value);
  }
}

function sanitizeObject(value: object, depth: number, ancestors: object[]): unknown {
  if (ancestors.includes(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) return errorToJson(value, depth, ancestors);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.constructor?.name ?? 'binary'} ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;
  if (value instanceof RegExp) return value.toString();

  ancestors.push(value);
  try {
    if (Array.isArray(value)) return sanitizeList(value, depth, ancestors);
    if (value instanceof Set) return sanitizeList([...value], depth, ancestors);
    if (value instanceof Map) {
      return sanitizeEntries(
        [...value].map(([k, v]) => [typeof k === 'string' ? k : safeString(describe(k), 200), v]),
        depth,
        ancestors,
      );
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return sanitizeValue(toJSON.call(value), depth + 1, ancestors);
    return sanitizeEntries(ownEntries(value), depth, ancestors);
  } finally {
    ancestors.pop();
  }
}

function sanitizeList(items: unknown[], depth: number, ancestors: object[]): unknown[] {
  const out: unknown[] = [];
  const n = Math.min(items.length, MAX_ITEMS);
  for (let i = 0; i < n; i++) {
    const v = sanitizeValue(items[i], depth + 1, ancestors);
    out.push(v === undefined ? null : v);
  }
  if (items.length > MAX_ITEMS) out.push(`[${items.length - MAX_ITEMS} more items]`);
  return out;
}

function sanitizeEntries(entries: [string, unknown][], depth: number, ancestors: object[]): LogMeta {
  const out: LogMeta = {};
  const n = Math.min(entries.length, MAX_ITEMS);
  for (let i = 0; i < n; i++) {
    const [key, raw] = entries[i]!;
    const safeKey = safeString(key, 200);
    // A secret-sounding name hides a value that can carry a secret; a count, a flag or an expiry
    // ("inputTokens": 812, "tokenExpired": true) carries none, and the owner needs it to read the bill.
    if (isSecretKey(safeKey) && !isPlainFigure(raw)) {
      out[safeKey] = REDACTED;
      continue;
    }
    const v = sanitizeValue(raw, depth + 1, ancestors);
    if (v !== undefined) out[safeKey] = v;
  }
  if (entries.length > MAX_ITEMS) out['[more]'] = `${entries.length - MAX_ITEMS} more keys`;
  return out;
}

/** Own enumerable properties; a throwing getter costs its own value, not the entry. */
function ownEntries(value: object): [string, unknown][] {
  const keys = Object.keys(value);
  const entries: [string, unknown][] = [];
  for (const key of keys) {
    try {
      entries.push([key, (value as Record<string, unknown>)[key]]);
    } catch {
      entries.push([key, '[unreadable]']);
    }
  }
  return entries;
}

function errorToJson(error: Error, depth: number, ancestors: object[]): LogMeta {
  ancestors.push(error);
  try {
    const out: LogMeta = {
      name: safeString(readString(error, 'name') ?? 'Error', 200),
      message: safeString(readString(error, 'message') ?? '', MAX_META_STRING_CHARS),
    };
    const code = read(error, 'code');
    if (code !== undefined) out.code = sanitizeValue(code, depth + 1, ancestors);
    const stack = readString(error, 'stack');
    if (stack !== undefined) out.stack = safeString(stack, MAX_META_STRING_CHARS);
    const cause = read(error, 'cause');
    if (cause !== undefined) out.cause = sanitizeValue(cause, depth + 1, ancestors);
    return out;
  } finally {
    ancestors.pop();
  }
}

function read(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function readString(target: object, key: string): string | undefined {
  const v = read(target, key);
  return typeof v === 'string' ? v : undefined;
}

function isPlainFigure(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined;
}

// Keys repeat endlessly ("chatId", "durationMs"): remember the verdict rather than run the regex.
const secretKeyCache = new Map<string, boolean>();
function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    if (secretKeyCache.size < 2048) secretKeyCache.set(key, secret);
  }
  return secret;
}

export function safeMessage(message: unknown): string {
  if (typeof message === 'string') return redactSecretValues(safeString(message, MAX_MESSAGE_CHARS));
  if (message === undefined || message === null) return '';
  return redactSecretValues(safeString(describe(message), MAX_MESSAGE_CHARS));
}

function safeType(type: unknown): EventType {
  if (typeof type !== 'string' || type.length === 0) return 'log.invalid_type';
  return safeString(type, MAX_TYPE_CHARS, '') as EventType;
}

/** Capped and well-formed: SQLite and JSON parsers elsewhere choke on lone surrogates. */
export function safeString(value: string, maxChars: number, marker?: string): string {
  if (value.length <= maxChars) return wellFormed(value);
  const suffix = marker ?? `… [${value.length - maxChars} chars truncated]`;
  return wellFormed(value.slice(0, maxChars)) + suffix;
}

interface WellFormedString {
  isWellFormed?: () => boolean;
  toWellFormed?: () => string;
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(value: string): string {
  // The ES2024 methods exist in Node 20 but not in this project's ES2023 lib typings.
  const s = value as unknown as WellFormedString;
  if (typeof s.isWellFormed === 'function' && typeof s.toWellFormed === 'function') {
    return s.isWellFormed() ? value : s.toWellFormed();
  }
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
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
