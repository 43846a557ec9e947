import { createHash, timingSafeEqual } from 'node:crypto';
import { RELAY_LIMITS } from '../../shared/relay-protocol';
import type { ConnectionManager } from '../connection/connection-manager';
import type { Clock, IdGenerator } from '../ids';
import { createFoldedWarnings } from '../log/folded-warnings';
import type { Logger } from '../log/logger';
import type { Timers } from '../timers';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { createUnroutableMessageStore } from '../store/repositories/unroutable-message-store';
import type { CloudApiProvider } from '../whatsapp/cloud-api/cloud-api-provider';
import {
  mapNotification,
  parseWebhook,
  verifyWebhookSignature,
  type UnknownNumberChange,
  type WebhookNotification,
} from '../whatsapp/cloud-api/webhook';
import { digitsOf, storeUnroutable } from '../whatsapp/cloud-api/unroutable-from-webhook';
import { createCloudWebhookDirectory, type CloudWebhookKeys } from './cloud-store';

/**
 * The headless host's own webhook intake, for a host Meta can reach (a reseller's server
 * behind a TLS reverse proxy): the transport-independent half of `GET|POST /webhooks/whatsapp`. The
 * checks and answers are those of central's webhook intake (src/central/webhook-intake.ts), here with
 * the provider's verifier and parser (whatsapp/cloud-api/webhook.ts): the signature over the raw bytes
 * must match the app secret stored with the number each change names; a change for a number this host
 * does not know (or that another app signed) is kept as unroutable and answered 200, so Meta stops
 * retrying it.
 *
 * Where central commits a notification to its database before answering, here the provider of the
 * number takes it: `handleWebhook` emits synchronously into the pipeline, whose inbound journal holds
 * each message before the call returns (see relay-client.ts). So 200 goes out only after that; a number
 * without a live provider gets 503 and Meta retries later. Statuses ride the pipeline's in-memory queue
 * as they do through the relay: a crash right after the 200 can lose a status (the outbox then waits up
 * to 10 minutes for one before it sends again), never a customer's message.
 *
 * Off (404) unless some Cloud number on this machine has an app secret stored: nothing else can verify
 * a POST. Every refusal is logged with its reason (the first of a kind at once, the rest of the minute
 * as one row with a count: log/folded-warnings.ts); the secret and the tokens never are.
 */

/** A POST larger than this is refused (413); Meta's notifications are a few KB. The central server's limit. */
export const DIRECT_WEBHOOK_MAX_BYTES = RELAY_LIMITS.maxWebhookBytes;

export type HandshakeAnswer =
  { status: 200; challenge: string } | { status: 403 | 404; reason: 'off' | 'not-subscribe' | 'wrong-token' };

export type DirectWebhookRefusal =
  | 'off'
  | 'wrong-method'
  | 'too-large'
  | 'missing-signature'
  | 'bad-signature'
  | 'malformed-json'
  | 'not-a-notification'
  | 'not-started';

export type DeliveryAnswer =
  | {
      status: 200;
      /** Messages and statuses handed to the numbers' providers (repeats they dropped included in duplicates). */
      messages: number;
      acks: number;
      duplicates: number;
      /** Changes for a phone_number_id no number here takes webhooks for: kept, never answered. */
      unroutable: number;
    }
  | { status: 400 | 401 | 404 | 405 | 413 | 503; reason: DirectWebhookRefusal; message: string };

export interface DirectWebhooks {
  readonly maxBodyBytes: number;
  /** True when some Cloud number here has an app secret: only then does the route exist. */
  enabled(): Promise<boolean>;
  /** Meta's `GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`. */
  handshake(query: {
    mode: string | null;
    verifyToken: string | null;
    challenge: string | null;
  }): Promise<HandshakeAnswer>;
  /** One POST, its body as received (raw bytes: the signature covers them exactly). */
  receive(rawBody: Uint8Array, signatureHeader: string | undefined): Promise<DeliveryAnswer>;
  /** The transport stopped reading a body over maxBodyBytes: logged like any refusal. */
  tooLarge(declaredBytes: number | null): DeliveryAnswer;
  /** Neither GET nor POST: logged like any refusal. */
  wrongMethod(method: string): DeliveryAnswer;
  /** Writes the refusals counted and not logged yet. */
  close(): void;
}

export interface DirectWebhooksOptions {
  timers?: Timers;
  store: Store;
  secrets: SecretBox;
  logger: Logger;
  connections: Pick<ConnectionManager, 'provider'>;
  clock: Clock;
  newId: IdGenerator;
}

/** Why a change is not handed to a provider (kept as unroutable instead). */
type UnroutableWhy = 'unknown-number' | 'no-app-secret' | 'other-app';

const WHY_TEXT: Record<UnroutableWhy, string> = {
  'unknown-number': 'no number on this computer has that phone_number_id',
  'no-app-secret': 'that number has no app secret stored here (connect it again with its app secret)',
  'other-app': "it is signed with another Meta app's secret than the one stored for that number",
};

export function createDirectWebhooks(options: DirectWebhooksOptions): DirectWebhooks {
  const log = options.logger.child({ meta: { component: 'cloud-webhooks' } });
  const ctx: DirectContext = {
    connections: options.connections,
    clock: options.clock,
    newId: options.newId,
    directory: createCloudWebhookDirectory(options.store.db, options.secrets),
    unroutableStore: createUnroutableMessageStore(options.store.db),
    log,
    // Anyone can send refused requests: one row a minute per kind, whatever their number.
    refusals: createFoldedWarnings(log, {
      ...(options.timers !== undefined && { timers: options.timers }),
    }),
    reportedUnreadable: new Set<string>(),
  };
  return {
    maxBodyBytes: DIRECT_WEBHOOK_MAX_BYTES,
    enabled: async () => appSecretsOf(await keysOf(ctx)).length > 0,
    handshake: (query) => handshake(ctx, query),
    tooLarge(declaredBytes) {
      return refuse(ctx, 413, 'too-large', `The body is larger than ${DIRECT_WEBHOOK_MAX_BYTES} bytes`, {
        ...(declaredBytes !== null && { declaredBytes }),
      });
    },
    wrongMethod(method) {
      return refuse(ctx, 405, 'wrong-method', `${method.slice(0, 16)} is not how Meta calls a webhook`);
    },
    close() {
      ctx.refusals.flush();
    },
    receive: (rawBody, signatureHeader) => receive(ctx, rawBody, signatureHeader),
  };
}

/** What the intake's parts share. */
interface DirectContext {
  connections: DirectWebhooksOptions['connections'];
  clock: Clock;
  newId: IdGenerator;
  directory: ReturnType<typeof createCloudWebhookDirectory>;
  unroutableStore: ReturnType<typeof createUnroutableMessageStore>;
  log: Logger;
  refusals: ReturnType<typeof createFoldedWarnings>;
  /** Told once per process, not on every POST. */
  reportedUnreadable: Set<string>;
}

const appSecretsOf = (all: readonly CloudWebhookKeys[]): string[] => [
  ...new Set(all.flatMap((k) => (k.appSecret === null || k.appSecret === '' ? [] : [k.appSecret]))),
];

async function keysOf(ctx: DirectContext): Promise<CloudWebhookKeys[]> {
  const { directory, reportedUnreadable, log } = ctx;
  const { keys: found, unreadable } = await directory.listKeys();
  for (const phoneNumberId of unreadable) {
    if (reportedUnreadable.has(phoneNumberId)) continue;
    reportedUnreadable.add(phoneNumberId);
    log.error(
      'cloud.webhook_secret_unreadable',
      `The app secret of Cloud number ${phoneNumberId} cannot be read here; connect it again`,
      { phoneNumberId },
    );
  }
  return found;
}

function refuse(
  ctx: DirectContext,
  status: 400 | 401 | 404 | 405 | 413 | 503,
  reason: DirectWebhookRefusal,
  message: string,
  meta: Record<string, unknown> = {},
): DeliveryAnswer {
  ctx.refusals.warn(
    `${status}:${reason}`,
    'cloud.webhook_refused',
    `Webhook refused with HTTP ${status}: ${message}`,
    {
      status,
      reason,
      ...meta,
    },
  );
  return { status, reason, message };
}

function liveProvider(ctx: DirectContext, k: CloudWebhookKeys): CloudApiProvider | undefined {
  try {
    const provider = ctx.connections.provider(k.workspaceId, k.e164) as Partial<CloudApiProvider>;
    return provider.kind === 'cloud-api' && provider.phoneNumberId === k.phoneNumberId
      ? (provider as CloudApiProvider)
      : undefined;
  } catch {
    return undefined; // not started (yet), or removed
  }
}

/** Customers' messages to numbers that take no webhooks here are stored (never answered) and logged. */
async function keepUnroutable(
  ctx: DirectContext,
  notification: WebhookNotification,
  changes: readonly {
    change: UnknownNumberChange;
    why: UnroutableWhy;
    keys: CloudWebhookKeys | undefined;
  }[],
): Promise<void> {
  const ids = new Set(changes.map((c) => c.change.phoneNumberId));
  const stored = await storeUnroutable(ctx.unroutableStore, notification, ids, {
    newId: ctx.newId,
    now: ctx.clock.now(),
  });
  for (const { change, why, keys: known } of changes) {
    const mine = stored.rows.filter(
      (r) => digitsOf(r.businessNumber) === digitsOf(change.displayPhoneNumber),
    );
    const { kept, repeats } = stored.kept(mine);
    const where = known === undefined ? ctx.log : ctx.log.child({ workspaceId: known.workspaceId });
    where.warn(
      'cloud.webhook_unroutable',
      `Webhook for phone_number_id ${change.phoneNumberId} (${change.displayPhoneNumber}) kept unanswered: ${WHY_TEXT[why]}`,
      {
        phoneNumberId: change.phoneNumberId,
        displayPhoneNumber: change.displayPhoneNumber,
        why,
        messages: change.messages,
        statuses: change.statuses,
        kept,
        repeats,
        providerMessageIds: mine.map((r) => r.providerMessageId),
      },
    );
  }
}

async function handshake(
  ctx: DirectContext,
  query: Parameters<DirectWebhooks['handshake']>[0],
): Promise<HandshakeAnswer> {
  const { refusals, log } = ctx;
  const all = await keysOf(ctx);
  if (appSecretsOf(all).length === 0) {
    refusals.warn(
      'verify:off',
      'cloud.webhook_verify_refused',
      'Webhook verification refused: no Cloud number here has an app secret',
      { reason: 'off' },
    );
    return { status: 404, reason: 'off' };
  }
  if (query.mode !== 'subscribe') {
    refusals.warn(
      'verify:not-subscribe',
      'cloud.webhook_verify_refused',
      'Webhook verification refused: hub.mode is not subscribe',
      { reason: 'not-subscribe' },
    );
    return { status: 403, reason: 'not-subscribe' };
  }
  const given = query.verifyToken ?? '';
  const match = all.find((k) => k.verifyToken !== null && sameSecret(k.verifyToken, given));
  if (given === '' || match === undefined) {
    refusals.warn(
      'verify:wrong-token',
      'cloud.webhook_verify_refused',
      'Webhook verification refused: the verify token matches no Cloud number here',
      { reason: 'wrong-token' },
    );
    return { status: 403, reason: 'wrong-token' };
  }
  log
    .child({ workspaceId: match.workspaceId })
    .info(
      'cloud.webhook_verified',
      `Meta verified this host's webhook address (phone_number_id ${match.phoneNumberId})`,
      {
        phoneNumberId: match.phoneNumberId,
      },
    );
  return { status: 200, challenge: query.challenge ?? '' };
}

async function receive(
  ctx: DirectContext,
  rawBody: Uint8Array,
  signatureHeader: string | undefined,
): Promise<DeliveryAnswer> {
  const all = await keysOf(ctx);
  const secrets = appSecretsOf(all);
  if (secrets.length === 0)
    return refuse(ctx, 404, 'off', 'no Cloud number here has an app secret, so no webhook can be verified');
  if (signatureHeader === undefined || signatureHeader.trim() === '')
    return refuse(ctx, 401, 'missing-signature', 'No X-Hub-Signature-256 header');
  // Find the app that signed it before reading a byte of it as JSON. Central parses first, but only
  // to learn which numbers the body names and try their secrets before the rest (it may hold many);
  // nothing from the body is acted on before a signature matches there either. A host holds a
  // handful of apps at most, so it simply tries them all: one HMAC and a constant-time compare each.
  // The answers are central's: 401 for a bad signature whatever the body, 400 for a signed body
  // that is not a notification.
  const signedWith = secrets.find((secret) => verifyWebhookSignature(rawBody, signatureHeader, secret));
  if (signedWith === undefined)
    return refuse(ctx, 401, 'bad-signature', 'X-Hub-Signature-256 matches no app secret stored here', {
      bytes: rawBody.length,
    });
  const parsed = parseWebhook(rawBody, signatureHeader, signedWith);
  if (!parsed.ok) {
    const signature = parsed.reason === 'missing-signature' || parsed.reason === 'bad-signature';
    return refuse(ctx, signature ? 401 : 400, parsed.reason, parsed.message);
  }
  const { notification } = parsed;

  // Each change goes to the number it names, and only if that number's own app secret signed it.
  const byId = new Map(all.map((k) => [k.phoneNumberId, k]));
  const targets = new Map<string, CloudWebhookKeys>();
  const unroutable: {
    change: UnknownNumberChange;
    why: UnroutableWhy;
    keys: CloudWebhookKeys | undefined;
  }[] = [];
  for (const change of mapNotification(notification, { numberFor: () => undefined }).unknown) {
    const k = byId.get(change.phoneNumberId);
    if (k !== undefined && k.appSecret === signedWith) targets.set(k.phoneNumberId, k);
    else
      unroutable.push({
        change,
        why: k === undefined ? 'unknown-number' : k.appSecret === null ? 'no-app-secret' : 'other-app',
        keys: k,
      });
  }

  // All or nothing: a number that cannot take its part now makes Meta send the whole POST again.
  const providers: CloudApiProvider[] = [];
  const notStarted: CloudWebhookKeys[] = [];
  for (const k of targets.values()) {
    const provider = liveProvider(ctx, k);
    if (provider === undefined) notStarted.push(k);
    else providers.push(provider);
  }
  if (notStarted.length > 0) {
    return refuse(
      ctx,
      503,
      'not-started',
      `${notStarted.map((k) => k.e164).join(', ')} is not running on this host yet; Meta will send it again`,
      { phoneNumberIds: notStarted.map((k) => k.phoneNumberId) },
    );
  }

  const answer = {
    status: 200 as const,
    messages: 0,
    acks: 0,
    duplicates: 0,
    unroutable: unroutable.length,
  };
  for (const provider of providers) {
    // Journaled by the pipeline before this returns: from here a crash cannot lose a message.
    const outcome = provider.handleWebhook(notification);
    answer.messages += outcome.messages;
    answer.acks += outcome.acks;
    answer.duplicates += outcome.duplicates;
  }
  if (unroutable.length > 0) await keepUnroutable(ctx, notification, unroutable);
  return answer;
}

/** Verify tokens compared in constant time (hashed first: timingSafeEqual needs equal lengths). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
