import type { CloudRelayHeld } from '../../../shared/cloud-contract';
import type { RelayNotification } from '../../../shared/relay-protocol';
import type { WorkspaceId } from '../../../shared/types';
import type { ConnectionManager } from '../../connection/connection-manager';
import type { Logger } from '../../log/logger';
import type { PhoneNumberRepository } from '../../store/repositories/phone-numbers';
import type { CloudApiProvider } from './cloud-api-provider';
import type { HeldWebhookStore } from './held-webhooks';
import type { RelayStatusBoard } from './relay-status';
import { changeValueOf, keepUnroutable, type RelayUnroutableOptions } from './relay-unroutable';
import { notificationSchema } from './webhook-schema';

/** What delivering relayed notifications works with. */
export interface RelayDeliveryContext extends RelayUnroutableOptions {
  numbers: PhoneNumberRepository;
  heldStore: HeldWebhookStore;
  connections: Pick<ConnectionManager, 'provider'>;
  storedPhoneNumberIds(workspaceId: WorkspaceId): Promise<ReadonlySet<string>>;
  log: Logger;
  board: RelayStatusBoard;
}

/** The running Cloud API providers of the workspace, by phone_number_id. */
export async function cloudProviders(
  ctx: RelayDeliveryContext,
  workspaceId: WorkspaceId,
): Promise<Map<string, CloudApiProvider>> {
  const found = new Map<string, CloudApiProvider>();
  for (const number of await ctx.numbers.list(workspaceId)) {
    if (number.provider !== 'cloud-api') continue;
    let provider;
    try {
      provider = ctx.connections.provider(workspaceId, number.e164);
    } catch {
      continue; // not started yet: its notifications wait on the server
    }
    const cloud = provider as Partial<CloudApiProvider>;
    if (cloud.kind === 'cloud-api' && typeof cloud.phoneNumberId === 'string')
      found.set(cloud.phoneNumberId, provider as CloudApiProvider);
  }
  return found;
}

/** One notification to its provider; false when it is not a notification (logged, skipped). */
function handOver(
  ctx: RelayDeliveryContext,
  workspaceId: WorkspaceId,
  provider: CloudApiProvider,
  item: RelayNotification,
): boolean {
  const parsed = notificationSchema.safeParse(item.notification);
  if (parsed.success) {
    provider.handleWebhook(parsed.data);
    return true;
  }
  // Verified by the server and stored as Meta sent it: cannot happen unless the server is broken.
  ctx.log.warn('cloud.relay_skipped', `Relay notification ${item.seq} is not a notification; skipped`, {
    workspaceId,
    seq: item.seq,
  });
  return false;
}

/**
 * Hands what is kept here to each number that runs again, oldest first, and turns what was kept for
 * a number since removed into unroutable messages. Returns how many reached a provider and what is
 * still kept (read again only when something was kept before).
 */
export async function releaseHeld(
  ctx: RelayDeliveryContext,
  workspaceId: WorkspaceId,
  providers: ReadonlyMap<string, CloudApiProvider>,
): Promise<{ delivered: number; remaining: CloudRelayHeld[] }> {
  const held = await ctx.heldStore.summary(workspaceId);
  let delivered = 0;
  let stored: ReadonlySet<string> | undefined;
  for (const { phoneNumberId } of held) {
    const provider = providers.get(phoneNumberId);
    if (provider === undefined) {
      stored ??= await ctx.storedPhoneNumberIds(workspaceId);
      if (stored.has(phoneNumberId)) continue; // still not running: it keeps waiting here
    }
    const released = await drainHeld(ctx, workspaceId, phoneNumberId, provider);
    if (provider !== undefined) {
      delivered += released;
      ctx.log
        .child({ workspaceId })
        .info(
          'cloud.relay_released',
          `${released} webhook${released === 1 ? '' : 's'} kept on this computer handed to phone_number_id ${phoneNumberId}, which runs again`,
          { phoneNumberId, released },
        );
    }
  }
  if (held.length === 0) return { delivered, remaining: [] };
  const remaining = await ctx.heldStore.summary(workspaceId);
  ctx.board.held(workspaceId, remaining);
  return { delivered, remaining };
}

/** Empties what is kept for one number: to its provider, or (removed number) as unroutable. */
async function drainHeld(
  ctx: RelayDeliveryContext,
  workspaceId: WorkspaceId,
  phoneNumberId: string,
  provider: CloudApiProvider | undefined,
): Promise<number> {
  let released = 0;
  for (;;) {
    const batch = await ctx.heldStore.next(workspaceId, phoneNumberId, 100);
    if (batch.length === 0) return released;
    for (const item of batch) {
      if (provider === undefined)
        await keepUnroutable(ctx, workspaceId, item, 'its number was removed while its messages waited here');
      else if (handOver(ctx, workspaceId, provider, item)) released++;
    }
    // Handed over (the pipeline's journal has them) or kept as unroutable: only now gone from here.
    await ctx.heldStore.remove(
      workspaceId,
      batch.map((item) => item.id),
    );
  }
}

/** Keeps a notification for a stored number that is not running; acknowledged once it is here. */
async function hold(
  ctx: RelayDeliveryContext,
  workspaceId: WorkspaceId,
  relayKey: string,
  item: RelayNotification,
): Promise<void> {
  const counts = changeValueOf(item.notification);
  const isNew = await ctx.heldStore.hold(workspaceId, relayKey, item, counts, ctx.timers.now());
  if (!isNew) return;
  ctx.log
    .child({ workspaceId })
    .warn(
      'cloud.relay_held',
      `Webhook ${item.seq} for phone_number_id ${item.phoneNumberId}, which is not running, kept on this computer until it runs (${counts.messages} customer message${counts.messages === 1 ? '' : 's'}, ${counts.statuses} status${counts.statuses === 1 ? '' : 'es'})`,
      { seq: item.seq, phoneNumberId: item.phoneNumberId, ...counts },
    );
}

/**
 * Hands notifications to their providers in order (what is kept here for a number first); returns
 * the last seq that may be acknowledged and how many reached a provider.
 */
export async function deliver(
  ctx: RelayDeliveryContext,
  workspaceId: WorkspaceId,
  relayKey: string,
  notifications: readonly RelayNotification[],
): Promise<{ handled: number | undefined; delivered: number }> {
  const providers = await cloudProviders(ctx, workspaceId);
  const released = await releaseHeld(ctx, workspaceId, providers);
  let delivered = released.delivered;
  // Numbers with webhooks still kept here: newer ones for them join the queue, never overtake it.
  const waiting = new Set(released.remaining.map((h) => h.phoneNumberId));
  let heldNow = false;
  let stored: ReadonlySet<string> | undefined;
  let handled: number | undefined;
  for (const item of notifications) {
    const provider = providers.get(item.phoneNumberId);
    if (provider !== undefined && !waiting.has(item.phoneNumberId)) {
      if (handOver(ctx, workspaceId, provider, item)) delivered++;
    } else {
      stored ??= await ctx.storedPhoneNumberIds(workspaceId);
      if (provider !== undefined || stored.has(item.phoneNumberId)) {
        await hold(ctx, workspaceId, relayKey, item);
        waiting.add(item.phoneNumberId);
        heldNow = true;
      } else {
        await keepUnroutable(
          ctx,
          workspaceId,
          item,
          'no number of this business has that phone number ID any more (removed)',
        );
      }
    }
    handled = item.seq;
  }
  // releaseHeld has already shown what was kept before; only new ones change it.
  if (heldNow) ctx.board.held(workspaceId, await ctx.heldStore.summary(workspaceId));
  return { handled, delivered };
}
