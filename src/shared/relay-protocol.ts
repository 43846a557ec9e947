import { z } from 'zod';

/**
 * The webhook relay between the central server and the desktop app. Meta POSTs Cloud API
 * notifications to the central server (`/webhooks/whatsapp`, public), which commits each change to the
 * workspace its `phone_number_id` is registered to; the desktop reads them over its own outbound
 * connection, so a PC behind NAT never needs a public address.
 *
 *   GET  /api/v1/relay?after=<seq>&wait=<s>&limit=<n>  -> RelayPollResponse
 *        Authorization: Bearer <workspace token> (the sync enrollment's). Returns the workspace's
 *        notifications with seq > max(after, acked), oldest first, at most `limit` (and about
 *        RELAY_LIMITS.maxBatchBytes of payload); when there are none it waits up to `wait` seconds for one.
 *        Passing `after` also acknowledges everything up to it.
 *   POST /api/v1/relay/ack  RelayAckRequest               -> RelayAckResponse
 *        Everything up to `seq` was handed to the pipeline: the server may forget it. Unacknowledged
 *        notifications are kept (the PC may be off for days).
 *   Admin: POST /api/admin/cloud-numbers CloudNumberRegistration -> 201; GET lists them (no secrets).
 */
export const RELAY_LIMITS = {
  maxWaitSeconds: 30,
  defaultWaitSeconds: 25,
  maxBatch: 100,
  /** Payload bytes per poll answer (at least one notification is always returned). */
  maxBatchBytes: 1024 * 1024,
  /** A webhook POST from Meta larger than this is refused (413). */
  maxWebhookBytes: 3 * 1024 * 1024,
} as const;

const seq = z.number().int().nonnegative();

export const relayNotification = z.object({
  seq: seq.min(1),
  phoneNumberId: z.string(),
  receivedAt: z.number().int(),
  /** One change of Meta's notification, wrapped in its own envelope: `{object, entry: [{id, changes: [change]}]}`. */
  notification: z.unknown(),
});
export type RelayNotification = z.infer<typeof relayNotification>;

export const relayPollResponse = z.object({
  notifications: z.array(relayNotification),
  /** Highest seq the server has recorded as acknowledged for this workspace. */
  ackedSeq: seq,
});
export type RelayPollResponse = z.infer<typeof relayPollResponse>;

export const relayPollQuery = z.object({
  after: z.coerce.number().int().nonnegative().optional(),
  wait: z.coerce.number().min(0).max(RELAY_LIMITS.maxWaitSeconds).default(0),
  limit: z.coerce.number().int().min(1).max(RELAY_LIMITS.maxBatch).default(RELAY_LIMITS.maxBatch),
});

export const relayAckRequest = z.object({ seq });
export type RelayAckRequest = z.infer<typeof relayAckRequest>;
export const relayAckResponse = z.object({ ackedSeq: seq });
export type RelayAckResponse = z.infer<typeof relayAckResponse>;

/** Meta's phone_number_id: digits only. A webhook naming anything else is refused before any query. */
export const PHONE_NUMBER_ID = /^\d{1,32}$/;

export const cloudNumberRegistration = z.object({
  phoneNumberId: z.string().trim().regex(PHONE_NUMBER_ID, 'digits only (Meta’s phone_number_id)'),
  workspaceId: z.string().trim().min(1).max(64),
  /** The Meta app's App Secret: signs the webhooks. Kept encrypted with the server's key. */
  appSecret: z.string().trim().min(8).max(200),
  /** The string typed into Meta's webhook settings; kept as a hash. */
  verifyToken: z.string().trim().min(8).max(200),
});
export type CloudNumberRegistration = z.infer<typeof cloudNumberRegistration>;

export interface CloudNumberSummary {
  phoneNumberId: string;
  workspaceId: string;
  createdAt: number;
  updatedAt: number;
}
