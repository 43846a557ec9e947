import type { CloudNumberView } from '../../shared/cloud-contract';
import type { PhoneNumber } from '../../shared/dto';
import type { WorkspaceId } from '../../shared/types';
import type { ConnectionManager } from '../connection/connection-manager';
import { isSwitchboardError, SwitchboardError } from '../errors';
import type { Clock } from '../ids';
import type { Logger } from '../log/logger';
import type { Store } from '../store/open-database';
import { createPhoneNumberRepository } from '../store/repositories/phone-numbers';
import type { WorkspaceService } from '../workspace/workspace-service';
import type { CloudGraph } from './cloud-graph';
import type {
  CloudCredentials,
  CloudNumberRepository,
  CloudProfileRecord,
  StoredCloudNumber,
} from './cloud-store';

export interface CloudConnectInput {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret?: string | undefined;
  verifyToken?: string | undefined;
  graphBaseUrl?: string | undefined;
  graphVersion?: string | undefined;
  label?: string | undefined;
}

/** What the Cloud service's parts share. */
export interface CloudContext {
  store: Store;
  logger: Logger;
  clock: Clock;
  workspaces: WorkspaceService;
  repo: CloudNumberRepository;
  graph: CloudGraph;
  /** Per number row id: the credentials the provider is built from. */
  configs: Map<string, CloudCredentials>;
  /** The connections, once attached (they are built after the service). */
  connections: ConnectionManager | null;
  view(number: PhoneNumber, stored: StoredCloudNumber): CloudNumberView;
}

/**
 * Connects a number to the Cloud API: the live check, the number Meta names (added, or moved from
 * the QR link keeping its history), its sealed credentials, and a provider built from them.
 */
export async function connectCloudNumber(
  ctx: CloudContext,
  workspaceId: WorkspaceId,
  input: CloudConnectInput,
): Promise<CloudNumberView> {
  await ctx.workspaces.get(workspaceId);
  const credentials: CloudCredentials = {
    phoneNumberId: input.phoneNumberId,
    wabaId: input.wabaId,
    accessToken: input.accessToken,
    appSecret: input.appSecret ?? null,
    verifyToken: input.verifyToken ?? null,
    graphBaseUrl: input.graphBaseUrl?.replace(/\/+$/, '') ?? null,
    graphVersion: input.graphVersion ?? null,
  };
  const log = ctx.logger.child({ workspaceId });
  const profile = await ctx.graph.check(credentials).catch((error: unknown) => {
    log.warn(
      'cloud.check_failed',
      `Connecting Cloud number ${input.phoneNumberId} failed: ${String((error as Error).message)}`,
      { phoneNumberId: input.phoneNumberId, wabaId: input.wabaId },
    );
    throw error;
  });
  const { number, added, switched } = await placeNumber(ctx, workspaceId, profile.e164, input.label);
  // A new token for a number already here: an app secret and verify token left empty keep the
  // stored ones (the owner replacing an expired token should not have to find them again).
  if (!added && (credentials.appSecret === null || credentials.verifyToken === null)) {
    const previous = await ctx.repo.credentials(workspaceId, number.id);
    if (previous?.phoneNumberId === credentials.phoneNumberId) {
      credentials.appSecret ??= previous.appSecret;
      credentials.verifyToken ??= previous.verifyToken;
    }
  }
  const stored = await save(ctx, workspaceId, number, credentials, profile, added);
  ctx.configs.set(number.id, credentials);
  log.info(
    'cloud.connected',
    `${profile.e164} connected to the WhatsApp Cloud API as ${profile.verifiedName ?? 'an unnamed number'}` +
      (switched ? ' (moved from the QR-code link; its chats stay)' : ''),
    {
      e164: profile.e164,
      phoneNumberId: credentials.phoneNumberId,
      wabaId: credentials.wabaId,
      qualityRating: profile.qualityRating,
      switched,
    },
  );
  if (ctx.connections !== null) await restartProvider(ctx.connections, workspaceId, number);
  return ctx.view(number, stored);
}

/** The number is the one Meta names. Already here with a QR link: it moves, keeping its history. */
async function placeNumber(
  ctx: CloudContext,
  workspaceId: WorkspaceId,
  e164: PhoneNumber['e164'],
  label: string | undefined,
): Promise<{ number: PhoneNumber; added: boolean; switched: boolean }> {
  const phones = createPhoneNumberRepository(ctx.store.db);
  const found = await phones.findByE164(workspaceId, e164);
  if (found === undefined) {
    const number = await ctx.workspaces.addNumber(workspaceId, {
      number: e164,
      provider: 'cloud-api',
      label: label ?? null,
    });
    return { number, added: true, switched: false };
  }
  if (found.provider === 'cloud-api') return { number: found, added: false, switched: false };
  await phones.setProvider(workspaceId, found.id, 'cloud-api', ctx.clock.now());
  return { number: { ...found, provider: 'cloud-api' }, added: false, switched: true };
}

/** Stores the credentials sealed; nothing half-stored: a number added for this attempt goes again. */
async function save(
  ctx: CloudContext,
  workspaceId: WorkspaceId,
  number: PhoneNumber,
  credentials: CloudCredentials,
  profile: CloudProfileRecord,
  added: boolean,
): Promise<StoredCloudNumber> {
  let stored: StoredCloudNumber | undefined;
  try {
    stored = await ctx.repo.save(workspaceId, number.id, { ...credentials }, profile, ctx.clock.now());
  } catch (error) {
    if (added) await ctx.workspaces.removeNumber(workspaceId, number.id).catch(() => undefined);
    if (/UNIQUE constraint failed: cloud_numbers\.phone_number_id/.test(String(error))) {
      throw new SwitchboardError(
        'CONFLICT',
        `Phone number ID ${credentials.phoneNumberId} is already connected on this computer, for another number.`,
        { field: 'phoneNumberId' },
      );
    }
    throw error;
  }
  if (stored === undefined) throw new SwitchboardError('NOT_FOUND', 'That number is not in this workspace.');
  return stored;
}

/** A provider built from older settings (another token, the QR link) is replaced, not reused. */
async function restartProvider(
  connections: ConnectionManager,
  workspaceId: WorkspaceId,
  number: PhoneNumber,
): Promise<void> {
  await connections.remove(workspaceId, number.e164).catch((error: unknown) => {
    if (!isSwitchboardError(error, 'NOT_FOUND')) throw error;
  });
  connections.start(number, 'cloud number connected');
  // The check just passed, so the connection opens at once: answer when it has (or after 10 s).
  const deadline = Date.now() + 10_000;
  while (connections.state(number.e164)?.status !== 'connected' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
