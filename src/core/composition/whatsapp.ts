import type { PhoneNumber } from '../../shared/dto';
import {
  createConnectionManager,
  type ConnectionEvent,
  type ConnectionManager,
} from '../connection/connection-manager';
import type { SupervisorPolicy } from '../connection/reconnect-supervisor';
import type { CloudProviderConfig } from '../cloud/cloud-service';
import { assertNever, SwitchboardError } from '../errors';
import type { Clock } from '../ids';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { Store } from '../store/open-database';
import { createMessageRepository } from '../store/repositories/messages';
import { createNumberDirectory } from '../store/repositories/phone-numbers';
import { createWaAuthRepository, sealPlainAuthRows } from '../store/repositories/wa-auth';
import { realTimers, type Timers } from '../timers';
import { createBaileysProvider } from '../whatsapp/baileys/baileys-provider';
import { createWorkspaceLidDirectories } from '../whatsapp/baileys/lid-directory';
import type { MediaTransportOptions } from '../whatsapp/baileys/media-transfer';
import { createCloudApiProvider } from '../whatsapp/cloud-api/cloud-api-provider';
import type { WhatsAppProvider } from '../whatsapp/provider';
import type { WorkspaceService } from '../workspace/workspace-service';

export interface WhatsAppOptions {
  /** Tests and demo mode point Baileys at the local WhatsApp server. */
  waWebSocketUrl?: string;
  /** Tests and demo mode: the local WhatsApp server's media host and its test certificate. */
  media?: MediaTransportOptions;
  connectTimeoutMs?: number;
  keepAliveIntervalMs?: number;
  policy?: Partial<SupervisorPolicy>;
  livenessIntervalMs?: number;
  timers?: Timers;
  random?: () => number;
  baileysLogLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Replaces the provider factory (tests of the layers above WhatsApp). */
  createProvider?: (number: PhoneNumber) => WhatsAppProvider;
  /** Numbers on Meta's Cloud API (provider 'cloud-api'): where each one's ids and token come from. */
  cloudApi?: CloudApiOptions;
}

export interface CloudApiOptions {
  /**
   * The number's phone_number_id, waba_id and token; undefined when none are known (it cannot start).
   * Default: what "Connect an official number" stored (cloud.connect), the token sealed.
   */
  numberConfig?: (number: PhoneNumber) => CloudProviderConfig | undefined;
  /** Tests and demo mode point it at the local Graph API server. */
  baseUrl?: string;
  graphApiVersion?: string;
  healthIntervalMs?: number;
}

/** WhatsApp session keys written in plain JSON by an older version, sealed before any socket reads them. */
export async function sealOldSessionKeys(store: Store, secrets: SecretBox, logger: Logger): Promise<void> {
  const sealedAuthRows = await sealPlainAuthRows(store, secrets);
  if (sealedAuthRows > 0) {
    logger.info('whatsapp.keys_sealed', `Sealed ${sealedAuthRows} stored WhatsApp session key(s)`, {
      rows: sealedAuthRows,
    });
  }
}

/** Wires the connection manager to the store: Baileys providers with SQLite auth, statuses saved and logged. */
export function createWhatsAppConnections(
  deps: {
    store: Store;
    logger: Logger;
    workspaces: WorkspaceService;
    options: WhatsAppOptions;
    clock: Clock;
    secrets: SecretBox;
    cloudConfig: (number: PhoneNumber) => CloudProviderConfig | undefined;
  },
  onEvent: (event: ConnectionEvent) => void,
): ConnectionManager {
  const { store, logger, workspaces, options, clock } = deps;
  const authRepo = createWaAuthRepository(store.db, deps.secrets);
  const messages = createMessageRepository(store.db);
  const lidDirectory = createWorkspaceLidDirectories({ store, logger, now: () => clock.now() });
  const createProvider =
    options.createProvider ??
    ((number: PhoneNumber): WhatsAppProvider => {
      switch (number.provider) {
        case 'cloud-api':
          return createCloudProvider(number, deps.cloudConfig(number), options.cloudApi, logger);
        case 'baileys':
          break;
        default:
          return assertNever(number.provider, 'provider kind');
      }
      return createBaileysProvider({
        businessNumber: number.e164,
        workspaceId: number.workspaceId,
        phoneNumberId: number.id,
        authRepo,
        logger,
        now: () => clock.now(),
        getMessageText: async (id) =>
          (await messages.findByProviderId(number.workspaceId, number.e164, id))?.text ?? undefined,
        lidDirectory: lidDirectory(number.workspaceId),
        socket: {
          ...(options.waWebSocketUrl !== undefined && { waWebSocketUrl: options.waWebSocketUrl }),
          ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
          ...(options.keepAliveIntervalMs !== undefined && {
            keepAliveIntervalMs: options.keepAliveIntervalMs,
          }),
        },
        ...(options.baileysLogLevel !== undefined && { baileysLogLevel: options.baileysLogLevel }),
        ...(options.media !== undefined && { media: options.media }),
      });
    });
  return createConnectionManager({
    listNumbers: () => createNumberDirectory(store.db).listAll(),
    createProvider,
    wipeAuth: (number) => authRepo.clear(number.workspaceId, number.id),
    saveStatus: (number, status, reason) =>
      workspaces.setNumberStatus(number.workspaceId, number.id, status, reason),
    onEvent,
    logger,
    timers: options.timers ?? realTimers,
    ...(options.random !== undefined && { random: options.random }),
    ...(options.policy !== undefined && { policy: options.policy }),
    ...(options.livenessIntervalMs !== undefined && { livenessIntervalMs: options.livenessIntervalMs }),
  });
}

function createCloudProvider(
  number: PhoneNumber,
  config: CloudProviderConfig | undefined,
  options: CloudApiOptions | undefined,
  logger: Logger,
): WhatsAppProvider {
  if (config === undefined) {
    throw new SwitchboardError(
      'VALIDATION',
      `${number.e164} is set to use the WhatsApp Cloud API, but its phone number ID and token are missing.`,
    );
  }
  // The number's own Graph address and version (stored with it) win over the app's defaults.
  const baseUrl = config.baseUrl ?? options?.baseUrl;
  const graphApiVersion = config.graphApiVersion ?? options?.graphApiVersion;
  return createCloudApiProvider({
    ...config,
    businessNumber: number.e164,
    workspaceId: number.workspaceId,
    logger,
    ...(baseUrl !== undefined && { baseUrl }),
    ...(graphApiVersion !== undefined && { graphApiVersion }),
    ...(options?.healthIntervalMs !== undefined && { healthIntervalMs: options.healthIntervalMs }),
  });
}
