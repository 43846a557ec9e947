import { SYNC_LIMITS, type SyncedEvent } from '../../shared/sync-protocol';
import type { WorkspaceId } from '../../shared/types';
import { yieldIfStarved } from '../loop-yield';
import type { RawEvent, SyncStateRepository } from '../store/repositories/sync-state';

/**
 * One batch of a workspace's events, read oldest first after the last acknowledged seq and bounded by
 * count and by JSON bytes. Reads go in small seq windows and pages with a yield between them, so a
 * backlog of millions of rows costs the event loop a millisecond at a time, and only one batch is ever
 * held in memory.
 */
export interface BatchLimits {
  maxEvents: number;
  /** Bytes of the events' JSON (the request's envelope is counted by the caller). */
  maxBytes: number;
}

export interface BuildBatchOptions extends BatchLimits {
  repo: Pick<SyncStateRepository, 'readEvents' | 'textsOf'>;
  workspaceId: WorkspaceId;
  /** Read events with seq above this... */
  afterSeq: number;
  /** ...up to and including this (the log's last seq when the batch started). */
  throughSeq: number;
  shareMessageText: boolean;
  /** Events the server refused one by one: sent as a stub that says so (see pusher.ts). */
  withheld?: ReadonlyMap<number, string>;
  /** Seqs per read (bounds one query's scan; default 20,000). */
  windowSeqs?: number;
  /** Rows per read (default 200). */
  pageRows?: number;
}

export interface Batch {
  events: SyncedEvent[];
  /** Each event's JSON, in order (joined with commas into the request body). */
  json: string[];
  /** Bytes of the events' JSON, commas included. */
  bytes: number;
  /**
   * Everything of this workspace up to here is in the batch (or there was nothing): the next read may
   * start after it. With no events, the range up to `throughSeq` held none of this workspace's.
   */
  scannedThrough: number;
  /** Stopped by a limit (more may be waiting), not by reaching `throughSeq`. */
  full: boolean;
}

const DEFAULT_WINDOW = 20_000;
const DEFAULT_PAGE = 200;

export async function buildBatch(options: BuildBatchOptions): Promise<Batch> {
  const window = Math.max(1, options.windowSeqs ?? DEFAULT_WINDOW);
  const page = Math.max(1, options.pageRows ?? DEFAULT_PAGE);
  const maxEvents = Math.max(1, Math.min(SYNC_LIMITS.maxEventsPerBatch, Math.floor(options.maxEvents)));
  const events: SyncedEvent[] = [];
  const json: string[] = [];
  let bytes = 0;
  let cursor = options.afterSeq;
  let full = false;

  while (!full && cursor < options.throughSeq) {
    const windowEnd = Math.min(options.throughSeq, cursor + window);
    const want = Math.min(page, maxEvents - events.length);
    const rows = await options.repo.readEvents(options.workspaceId, cursor, windowEnd, want);
    const texts = options.shareMessageText ? await textsFor(options, rows) : undefined;
    for (const row of rows) {
      const event = toSyncedEvent(row, texts, options.withheld?.get(row.seq));
      const text = JSON.stringify(event);
      const size = Buffer.byteLength(text) + (json.length > 0 ? 1 : 0);
      // The first event always goes: one event is far below the byte limit (its fields are capped).
      if (events.length > 0 && bytes + size > options.maxBytes) {
        full = true;
        break;
      }
      events.push(event);
      json.push(text);
      bytes += size;
      cursor = row.seq;
      if (events.length >= maxEvents) {
        full = true;
        break;
      }
    }
    // A short page means the window has nothing more of this workspace's.
    if (!full && rows.length < want) cursor = windowEnd;
    await yieldIfStarved();
  }
  return { events, json, bytes, scannedThrough: cursor, full };
}

/** The message and outbox ids an event's meta names (what the pipeline logs as messageId / outboxId). */
export function referencedIds(meta: string | null): { messageId?: string; outboxId?: string } {
  if (meta === null || (!meta.includes('"messageId"') && !meta.includes('"outboxId"'))) return {};
  try {
    const value = JSON.parse(meta) as Record<string, unknown>;
    return {
      ...(typeof value.messageId === 'string' && { messageId: value.messageId }),
      ...(typeof value.outboxId === 'string' && { outboxId: value.outboxId }),
    };
  } catch {
    return {};
  }
}

async function textsFor(options: BuildBatchOptions, rows: readonly RawEvent[]): Promise<Map<string, string>> {
  const messageIds: string[] = [];
  const outboxIds: string[] = [];
  for (const row of rows) {
    const ids = referencedIds(row.meta);
    if (ids.messageId !== undefined) messageIds.push(ids.messageId);
    else if (ids.outboxId !== undefined) outboxIds.push(ids.outboxId);
  }
  if (messageIds.length === 0 && outboxIds.length === 0) return new Map();
  return options.repo.textsOf(options.workspaceId, { messageIds, outboxIds });
}

/**
 * A stored event as the protocol carries it. The local log allows longer messages (8 KB) and meta
 * (32 KB) than the protocol: they are cut here, marked as cut, rather than the batch being refused.
 */
export function toSyncedEvent(
  row: RawEvent,
  texts: ReadonlyMap<string, string> | undefined,
  withheldBecause?: string,
): SyncedEvent {
  if (withheldBecause !== undefined) {
    return {
      seq: row.seq,
      ts: row.ts,
      level: row.level,
      type: clip(row.type, 100),
      contactId: null,
      message: clip(
        `[withheld: the central server refused this event: ${withheldBecause}]`,
        SYNC_LIMITS.maxEventMessageChars,
      ),
      meta: null,
    };
  }
  const event: SyncedEvent = {
    seq: row.seq,
    ts: Math.max(0, Math.trunc(row.ts)),
    level: row.level,
    type: clip(row.type, 100),
    contactId: row.contactId === null ? null : clip(row.contactId, 100),
    message: clip(row.message, SYNC_LIMITS.maxEventMessageChars),
    meta: clipMeta(row.meta),
  };
  if (texts !== undefined) {
    const ids = referencedIds(row.meta);
    const text =
      ids.messageId !== undefined
        ? texts.get(ids.messageId)
        : ids.outboxId !== undefined
          ? texts.get(ids.outboxId)
          : undefined;
    if (text !== undefined) event.text = clip(text, SYNC_LIMITS.maxMessageTextChars);
  }
  return event;
}

/** At most `max` UTF-16 units, never splitting a surrogate pair; a cut string ends with '…'. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function clipMeta(meta: string | null): string | null {
  if (meta === null || meta.length <= SYNC_LIMITS.maxEventMetaChars) return meta;
  // Still JSON, so the server and its dashboard can read it; says how much there was.
  return JSON.stringify({ metaTruncated: true, chars: meta.length, preview: clip(meta, 1_000) });
}
