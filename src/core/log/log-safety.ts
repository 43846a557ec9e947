import type { EventType } from './log-types';

/**
 * Making values safe for the log: everything here returns JSON-safe data, capped, with secrets
 * redacted, and never throws on odd input.
 */

export type LogMeta = Record<string, unknown>;

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

export function capMeta(meta: LogMeta | null): { meta: LogMeta | null; json: string | null } {
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

export function safeType(type: unknown): EventType {
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
