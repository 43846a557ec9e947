import { z } from 'zod';
import { idOf } from './contract-ids';
import type { LogPerson } from './log-sentence';
import { LOG_LEVELS, type LogLevel } from './types';

/** The Logs screen: events, pages, the query and the export. Must not import contract.ts. */

export interface LogEvent {
  seq: number;
  ts: number;
  level: LogLevel;
  type: string;
  workspaceId: string | null;
  contactId: string | null;
  message: string;
  meta: Record<string, unknown> | null;
  /** The customer of the chat the event names (meta.chatId), when known: the log names them. */
  person?: LogPerson;
  /** The question of the FAQ the event names (meta.faqId), when it still exists. */
  faq?: string;
}

export interface LogPage {
  /** Newest first. */
  events: LogEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null when there is none. */
  nextBeforeSeq: number | null;
}

/** One page of a log export: `log.export` is called again with `cursor` until it comes back null. */
export interface LogExportPage {
  /** The page as CSV (the header row on the first page only) or JSON lines, ready to append. */
  text: string;
  /** Events in this page. */
  count: number;
  /** Events the whole export holds (counted on the first page, when no cursor was given); else null. */
  total: number | null;
  /** Pass back as `cursor` for the next page; null when this was the last. Opaque. */
  cursor: string | null;
  /** A file name for the whole export, e.g. switchboard-log-2026-05-20.csv. */
  filename: string;
}

export const logQueryInput = z.strictObject({
  /** null: the machine's own events (start-up, database), not a workspace's. */
  workspaceId: idOf('workspaceId').nullable(),
  levels: z.array(z.enum(LOG_LEVELS)).max(LOG_LEVELS.length).optional(),
  minLevel: z.enum(LOG_LEVELS).optional(),
  types: z.array(z.string().max(100)).max(50).optional(),
  typePrefix: z.string().max(100).optional(),
  since: z.number().int().nonnegative().optional(),
  until: z.number().int().nonnegative().optional(),
  search: z.string().max(200, 'search is too long').optional(),
  beforeSeq: z.number().int().positive().optional(),
  afterSeq: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(500).default(50),
});

/** The Logs screen's filters (no paging) for an export, read a page at a time. */
export const logExportInput = logQueryInput.omit({ beforeSeq: true, afterSeq: true, limit: true }).extend({
  format: z.enum(['csv', 'jsonl']).default('csv'),
  /** The previous page's `cursor`; absent for the first page. */
  cursor: z
    .string()
    .regex(/^\d{1,15}-\d{1,15}$/, 'cursor must be the one the previous page returned')
    .optional(),
  pageSize: z.number().int().min(1).max(1000).default(1000),
});
