import { z } from 'zod';

/**
 * The wire protocol between an installation's push client (src/core/sync) and the central server
 * (src/central). Both sides validate with these schemas, so a change here is a protocol change: bump
 * SYNC_PROTOCOL_VERSION and keep the server accepting the previous version for a while.
 *
 * Endpoints (JSON unless said; errors are `{ error: { code, message } }` with a 4xx/5xx status):
 *   GET  /api/v1/health                         -> HealthResponse (no auth)
 *   POST /api/v1/enroll      EnrollRequest      -> EnrollResponse (no auth: the one-time code is the proof)
 *        401: the code is unknown or expired; 409: it was already used (either way: ask for a new one).
 *   POST /api/v1/ingest      IngestRequest      -> IngestResponse
 *        Authorization: Bearer <workspace token>; body may be gzip (Content-Encoding: gzip).
 *        Idempotent on (central workspace, installation, seq): a batch sent twice stores nothing twice.
 *        The token names the workspace and the installation it was issued to; a body naming another
 *        installation gets 403. A whole batch commits in one transaction, or nothing of it does.
 *        What the client should do: 200 -> the whole batch is stored; 429 -> wait Retry-After seconds;
 *        5xx or no answer -> retry the same batch later (resending is safe); 413 -> send fewer events;
 *        401 -> the token is no longer valid (enroll again); other 4xx -> a bug: do not retry as is.
 *   Admin (Authorization: Bearer <admin token>, or the dashboard's session cookie):
 *   POST /api/admin/enrollments CreateEnrollmentRequest -> 201 CreateEnrollmentResponse
 *   GET  /api/admin/installations, /api/admin/workspaces, /api/admin/workspaces/:id,
 *        /api/admin/workspaces/:id/events?before=<seq>&limit=&level=&type=&installation=
 *        (level: one or several, comma-separated; type: exact, or a prefix ending in `*`)
 */
export const SYNC_PROTOCOL_VERSION = 1;

/** Limits the server enforces and the client respects, so a batch is never refused for its size. */
export const SYNC_LIMITS = {
  maxEventsPerBatch: 1_000,
  /** Uncompressed JSON bytes of one ingest body; also the bound on a gzip body once inflated. */
  maxBatchBytes: 4 * 1024 * 1024,
  /** Bytes on the wire (after gzip): a body sent without gzip must fit in this too. */
  maxRequestBytes: 1024 * 1024,
  maxEventMessageChars: 2_000,
  maxEventMetaChars: 16_000,
  maxMessageTextChars: 4_096,
} as const;

export const syncErrorCodes = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type SyncErrorCode = (typeof syncErrorCodes)[number];

export const syncErrorBody = z.object({
  error: z.object({ code: z.enum(syncErrorCodes), message: z.string() }),
});
export type SyncErrorBody = z.infer<typeof syncErrorBody>;

export const healthResponse = z.object({
  ok: z.boolean(),
  protocol: z.number().int(),
  database: z.enum(['sqlite', 'postgres']),
  /** Why `ok` is false when the database answers but is damaged (writes are refused then). */
  problem: z.string().optional(),
});
export type HealthResponse = z.infer<typeof healthResponse>;

/** Who is pushing: one installation (one PC's data folder) can hold several workspaces. */
export const installationInfo = z.object({
  id: z.string().min(8).max(64),
  name: z.string().max(200),
  appVersion: z.string().max(50),
  platform: z.string().max(50),
});
export type InstallationInfo = z.infer<typeof installationInfo>;

export const enrollRequest = z.object({
  code: z.string().trim().min(6).max(64),
  installation: installationInfo,
  /** The workspace's name on the installation, shown on the dashboard beside the central name. */
  localWorkspaceName: z.string().max(200),
});
export type EnrollRequest = z.infer<typeof enrollRequest>;

export const enrollResponse = z.object({
  /** The central workspace this installation's workspace now pushes into. */
  workspaceId: z.string(),
  workspaceName: z.string(),
  /** Secret; shown once. The client stores it encrypted and sends it as a bearer token. */
  workspaceToken: z.string().min(32),
});
export type EnrollResponse = z.infer<typeof enrollResponse>;

export const syncedEvent = z.object({
  /** The installation's event sequence number (strictly increasing per installation). */
  seq: z.number().int().positive(),
  ts: z.number().int().nonnegative(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  type: z.string().min(1).max(100),
  contactId: z.string().max(100).nullable(),
  message: z.string().max(SYNC_LIMITS.maxEventMessageChars),
  /** JSON text, as stored locally; null when the event has none. */
  meta: z.string().max(SYNC_LIMITS.maxEventMetaChars).nullable(),
  /** The message's text, only when the workspace chose to share message text. */
  text: z.string().max(SYNC_LIMITS.maxMessageTextChars).nullable().optional(),
});
export type SyncedEvent = z.infer<typeof syncedEvent>;

/** Each number's connection state at the time of the push (the dashboard's "numbers" column). */
export const syncedNumber = z.object({
  number: z.string().max(20),
  provider: z.string().max(20),
  status: z.string().max(40),
  updatedAt: z.number().int().nonnegative(),
});
export type SyncedNumber = z.infer<typeof syncedNumber>;

export const ingestRequest = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  installationId: z.string().min(8).max(64),
  /**
   * Events in strictly ascending seq order (each seq once; 400 otherwise), no gaps required (retention
   * and other workspaces leave gaps).
   */
  events: z.array(syncedEvent).max(SYNC_LIMITS.maxEventsPerBatch),
  numbers: z.array(syncedNumber).max(100).default([]),
  /** Events still waiting after this batch: the dashboard shows installations that are catching up. */
  backlog: z.number().int().nonnegative().default(0),
});
export type IngestRequest = z.input<typeof ingestRequest>;

export const ingestResponse = z.object({
  /** Highest seq the server has committed for this workspace and installation. */
  ackedSeq: z.number().int().nonnegative(),
  stored: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
});
export type IngestResponse = z.infer<typeof ingestResponse>;

export const createEnrollmentRequest = z.object({
  workspaceName: z.string().trim().min(1).max(200),
  /** Hours the code stays valid. */
  validForHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});
export type CreateEnrollmentRequest = z.input<typeof createEnrollmentRequest>;

export const createEnrollmentResponse = z.object({
  code: z.string(),
  workspaceId: z.string(),
  expiresAt: z.number().int(),
});
export type CreateEnrollmentResponse = z.infer<typeof createEnrollmentResponse>;
