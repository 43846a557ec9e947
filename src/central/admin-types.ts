import { z } from 'zod';
import type { CloudNumberSummary } from '../shared/relay-protocol';
import type { SyncedNumber } from '../shared/sync-protocol';
import { LOG_LEVELS, type LogLevel } from '../shared/types';

/** What the admin endpoints answer (the dashboard renders the same objects). Times are UTC ms. */

export interface InstallationSummary {
  id: string;
  name: string;
  appVersion: string;
  platform: string;
  firstSeenAt: number;
  lastSeenAt: number;
  workspaces: { id: string; name: string; localName: string; lastSeenAt: number | null; backlog: number }[];
}

export interface DayMessages {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  in: number;
  out: number;
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  createdAt: number;
  /** The latest push from any of its installations; null until the first. */
  lastSeenAt: number | null;
  /** Events its installations said were still waiting after their latest pushes. */
  backlog: number;
  installations: {
    id: string;
    name: string;
    localName: string;
    enrolledAt: number;
    lastSeenAt: number | null;
    backlog: number;
  }[];
  /** The code not yet used, if any (its hash only: the code itself is shown once, when made). */
  pendingEnrollment: { expiresAt: number; expired: boolean } | null;
  numbers: (SyncedNumber & { reportedAt: number })[];
  /** The last 14 UTC days, oldest first, today last; days without messages are zeros. */
  messagesPerDay: DayMessages[];
  errorsLast24h: number;
}

export interface CentralEvent {
  installationId: string;
  seq: number;
  ts: number;
  receivedAt: number;
  level: LogLevel;
  type: string;
  contactId: string | null;
  message: string;
  meta: string | null;
  text: string | null;
}

export interface EventsPage {
  events: CentralEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export const EVENTS_PAGE_MAX = 500;
export const EVENTS_PAGE_DEFAULT = 50;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/** Query string of the events drill-down (strings in, typed out); shared by the API and the dashboard. */
export const eventsQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(EVENTS_PAGE_MAX).default(EVENTS_PAGE_DEFAULT),
  /** One level or several, comma-separated: `level=warn,error`. */
  level: optionalText(40).pipe(
    z
      .string()
      .transform((v) => v.split(',').map((l) => l.trim()))
      .pipe(z.array(z.enum(LOG_LEVELS)).min(1))
      .optional(),
  ),
  /** An exact type, or a prefix ending in `*`: `type=message.*`. */
  type: optionalText(100),
  installation: optionalText(64),
});
export type EventsQuery = z.output<typeof eventsQuery>;

/** A registered Cloud number with what the dashboard shows of its webhooks. */
export interface CloudNumberActivity extends CloudNumberSummary {
  workspaceName: string;
  /** When its newest notification still held was received (acknowledged ones go after 8 days). */
  lastWebhookAt: number | null;
  /** Its notifications committed here that the workspace's desktop has not acknowledged yet. */
  queued: number;
}
