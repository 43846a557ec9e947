import { join } from 'node:path';
import type { PhoneNumber } from '../shared/dto';
import type { E164, LogLevel, WorkspaceId } from '../shared/types';
import {
  createConnectionManager,
  type ConnectionEvent,
  type ConnectionManager,
} from './connection/connection-manager';
import type { SupervisorPolicy } from './connection/reconnect-supervisor';
import { assertNever, SwitchboardError } from './errors';
import { createId, systemClock, type Clock, type IdGenerator } from './ids';
import { securePrivateFolder } from './files/private-folder';
import type { LogSink } from './log/log-types';
import { createLogger, type Logger } from './log/logger';
import { createRetentionTask, createSqliteEventSink } from './log/sqlite-event-sink';
import { backupDatabase, type BackupProgress, type BackupResult } from './store/backup';
import { openDatabase, type Store } from './store/open-database';
import { createEventLogRepository, type EventLogRepository } from './store/repositories/event-log';
import { createMessageRepository } from './store/repositories/messages';
import { createNumberDirectory, createPhoneNumberRepository } from './store/repositories/phone-numbers';
import { createWaAuthRepository, sealPlainAuthRows } from './store/repositories/wa-auth';
import { realTimers, type Timers } from './timers';
import { routeLibraryConsole } from './whatsapp/baileys/library-console';
import { createBaileysProvider } from './whatsapp/baileys/baileys-provider';
import type { MediaTransportOptions } from './whatsapp/baileys/media-transfer';
import { createMediaFetcher, type MediaFetcher } from './media/media-fetcher';
import { createMediaFiles, type MediaFiles } from './media/media-files';
import { createMediaUploads, type MediaUploads } from './media/media-uploads';
import { createWorkspaceLidDirectories } from './whatsapp/baileys/lid-directory';
import { repairSplitChats } from './store/repositories/lid-mappings';
import { createCloudApiProvider } from './whatsapp/cloud-api/cloud-api-provider';
import { createCloudRelay, type CloudRelay, type CloudRelayTuning } from './whatsapp/cloud-api/relay-client';
import { createStoredPhoneNumberIds } from './cloud/stored-phone-number-ids';
import { createCloudService, type CloudProviderConfig, type CloudService } from './cloud/cloud-service';
import { createDirectWebhooks, type DirectWebhooks } from './cloud/direct-webhooks';
import type { WhatsAppProvider } from './whatsapp/provider';
import { createWorkspaceService, type WorkspaceService } from './workspace/workspace-service';
import { createPipeline, type ChatActivity, type Pipeline, type PipelineAlert } from './pipeline/pipeline';
import { openInboundJournal } from './store/inbound-journal';
import { createFileKeySecretBox } from './secrets/file-key-secret-box';
import type { SecretBox } from './secrets/secret-box';
import { createSyncService, type SyncService, type SyncServiceOptions } from './sync/sync-service';
import { createPersistentBudgetLedger } from './bot/ai/persistent-ledger';
import { createAiKeyRepository } from './store/repositories/ai-keys';
import { createAiService, type AiService } from './bot/ai/ai-service';
import { createWorkspaceAiFactory } from './bot/ai/workspace-ai';
import { createProviderHealth } from './bot/ai/provider-health';
import { createBackupService, type BackupService } from './backup/backup-service';
import { createBackupScheduler, type BackupScheduler } from './backup/backup-scheduler';
import { applyPendingRestore, type StagedRestore } from './backup/restore-staging';
import { createEncryptedUpgradeCopier } from './backup/upgrade-copy';

export interface SwitchboardOptions {
  /** Folder for the database (and the file log, when the shell writes one there). */
  dataDir: string;
  /** Extra sinks from the shell: electron-log in the desktop app, a JSON-lines file headless. */
  sinks?: LogSink[];
  minLogLevel?: LogLevel;
  retention?: {
    maxAgeDays?: number;
    maxRows?: number;
    /**
     * Events an enrolled workspace has not pushed yet survive age and maxRows; past this many rows in
     * all, the oldest go anyway (logged). Default 1.5 x maxRows.
     */
    hardMaxRows?: number;
  };
  durability?: 'full' | 'normal';
  clock?: Clock;
  newId?: IdGenerator;
  whatsapp?: WhatsAppOptions;
  pipeline?: { timers?: Timers; random?: () => number };
  /**
   * Seals the central server's tokens before they are stored. Default: AES-256-GCM with a key file in
   * dataDir (secrets.key); the desktop shell passes one built on the operating system's key store.
   */
  secrets?: SecretBox;
  /** The push client to the central server. */
  sync?: Pick<
    SyncServiceOptions,
    'transport' | 'timers' | 'random' | 'appVersion' | 'installationName' | 'pusher' | 'notifyIntervalMs'
  >;
  /** The webhook relay client (Cloud numbers' webhooks through the central server of the sync enrollment). */
  cloudRelay?: CloudRelayTuning & { timers?: Timers; random?: () => number };
  /** Daily backups: how often closing time is checked for (default 5 min); the timer (tests). */
  backups?: { checkEveryMs?: number; timers?: Timers };
}

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

export interface Switchboard {
  readonly store: Store;
  readonly logger: Logger;
  readonly workspaces: WorkspaceService;
  readonly events: EventLogRepository;
  readonly connections: ConnectionManager;
  readonly pipeline: Pipeline;
  /** Central sync: enrollment, the pushers, their status. Pushing starts with `start()`. */
  readonly sync: SyncService;
  /** The AI side of the bot: providers, sealed keys, budgets, a live test. */
  readonly ai: AiService;
  /** Numbers on the WhatsApp Cloud API: stored credentials, the live check, templates, pricing. */
  readonly cloud: CloudService;
  /** Cloud numbers' webhooks fetched from the central server; its status per workspace, for the UI. */
  readonly cloudRelay: Pick<CloudRelay, 'status' | 'onChanged'>;
  /** Cloud numbers' webhooks taken by this process itself (the headless host's `/webhooks/whatsapp`). */
  readonly cloudWebhooks: DirectWebhooks;
  /** Customers' files: downloaded once after their message is stored, kept under <dataDir>/media/. */
  readonly media: { files: MediaFiles; fetcher: MediaFetcher; uploads: MediaUploads };
  /** Hand-offs and failed sends: the owner is told (UI, desktop notification). */
  onPipelineAlert(listener: (alert: PipelineAlert) => void): () => void;
  /** A chat changed (a message stored, a reply sent, a hand-off): committed, ready to read. */
  onChatActivity(listener: (activity: ChatActivity) => void): () => void;
  /** The bot could not answer a customer's question: it was recorded for the Unanswered screen. */
  onUnanswered(listener: (workspaceId: WorkspaceId) => void): () => void;
  /** Starts every number's connection. */
  start(): Promise<void>;
  /** Starts (or restarts) one number's connection: pairing shows a QR through `onConnectionEvent`. */
  connect(workspaceId: WorkspaceId, phoneNumberId: string): Promise<void>;
  onConnectionEvent(listener: (event: ConnectionEvent) => void): () => void;
  backup(destination: string, onProgress?: (progress: BackupProgress) => void): Promise<BackupResult>;
  /** Encrypted, verified backups (daily at closing time, at quit, on demand), restore and moving away. */
  readonly backups: BackupService;
  readonly backupSchedule: BackupScheduler;
  /** The backup put in place at this start, if one was staged (the owner is told what reconnects). */
  readonly restored: StagedRestore | undefined;
  /** Flushes the log and closes the database; safe to call twice. */
  close(): Promise<void>;
}

export const DATABASE_FILE = 'switchboard.db';
export const INBOUND_JOURNAL_FILE = 'inbound-journal.db';

/**
 * The core's composition root: every shell (desktop, headless, tests) builds the core through here,
 * so they all run the same wiring.
 */
export async function createSwitchboard(options: SwitchboardOptions): Promise<Switchboard> {
  // Customers' messages, WhatsApp session keys and tokens live here: the owner's eyes only (0700/0600).
  const folder = securePrivateFolder(options.dataDir);
  const clock = options.clock ?? systemClock;
  // A restore staged by the running app is put in place now, while the database is still closed.
  const restored = applyPendingRestore(options.dataDir);
  const secrets = options.secrets ?? createFileKeySecretBox({ dataDir: options.dataDir });
  const store = await openDatabase({
    path: join(options.dataDir, DATABASE_FILE),
    upgradeCopier: createEncryptedUpgradeCopier(secrets),
    ...(options.durability !== undefined && { durability: options.durability }),
  });
  const sqliteSink = createSqliteEventSink({ store, now: () => clock.now() });
  const logger = createLogger({
    sinks: [sqliteSink, ...(options.sinks ?? [])],
    now: () => clock.now(),
    ...(options.minLogLevel !== undefined && { minLevel: options.minLogLevel }),
  });
  const events = createEventLogRepository(store);
  // libsignal prints whole Signal sessions (private keys included) with console.*: into the log instead.
  const restoreConsole = routeLibraryConsole(logger.child({ meta: { component: 'whatsapp' } }));
  if (folder.repaired.length > 0) {
    logger.warn(
      'store.permissions_repaired',
      `Made ${folder.repaired.length} data file(s) private to this user`,
      {
        path: options.dataDir,
        repaired: folder.repaired.slice(0, 50),
      },
    );
  }
  if (folder.unsupported !== null) {
    logger.info('store.permissions_unchecked', folder.unsupported, { path: options.dataDir });
  }
  logger.info('store.opened', `Database opened at schema ${store.schemaVersion}`, {
    path: store.path,
    schema: store.schemaVersion,
  });
  // Before anything reads a chat: one customer written by phone number and by LID is one chat.
  for (const [workspaceId, chats] of await repairSplitChats(store, clock.now())) {
    logger
      .child({ workspaceId })
      .info('lid.chats_merged', `${chats} chat(s) kept under a LID merged into the customer's phone chat`, {
        chats,
        at: 'start',
      });
  }

  const workspaces = createWorkspaceService({ store, logger, clock, newId: options.newId ?? createId });
  const sync = createSyncService({
    store,
    logger,
    secrets,
    events,
    getWorkspace: (workspaceId) => workspaces.get(workspaceId),
    ...options.sync,
  });
  // Cloud numbers' sealed credentials, read before any connection starts (a Cloud number survives a restart).
  const cloud = createCloudService({
    store,
    secrets,
    logger,
    clock,
    workspaces,
    defaults: {
      ...(options.whatsapp?.cloudApi?.baseUrl !== undefined && {
        baseUrl: options.whatsapp.cloudApi.baseUrl,
      }),
      ...(options.whatsapp?.cloudApi?.graphApiVersion !== undefined && {
        graphApiVersion: options.whatsapp.cloudApi.graphApiVersion,
      }),
    },
  });
  await cloud.load();
  // WhatsApp session keys written in plain JSON by an older version are sealed before any socket reads them.
  const sealedAuthRows = await sealPlainAuthRows(store, secrets);
  if (sealedAuthRows > 0) {
    logger.info('whatsapp.keys_sealed', `Sealed ${sealedAuthRows} stored WhatsApp session key(s)`, {
      rows: sealedAuthRows,
    });
  }
  const maxRows = options.retention?.maxRows ?? 2_000_000;
  const retention = createRetentionTask({
    repo: events,
    logger,
    maxAgeMs: (options.retention?.maxAgeDays ?? 90) * 24 * 60 * 60 * 1000,
    maxRows,
    // Nothing an enrolled workspace has not pushed is deleted, up to a hard cap.
    keepUnsynced: {
      hardMaxRows: options.retention?.hardMaxRows ?? Math.round(maxRows * 1.5),
      onForced: (forced) => sync.backlogDropped(forced.map((f) => f.workspaceId)),
    },
    now: () => clock.now(),
  });
  retention.start();
  const connectionListeners = new Set<(event: ConnectionEvent) => void>();
  const connections = createWhatsAppConnections(
    {
      store,
      logger,
      workspaces,
      options: options.whatsapp ?? {},
      clock,
      secrets,
      cloudConfig: (number) => options.whatsapp?.cloudApi?.numberConfig?.(number) ?? cloud.configFor(number),
    },
    (event) => {
      for (const listener of connectionListeners) listener(event);
    },
  );
  const detachCloud = cloud.attach({
    connections,
    subscribe: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  });
  // Cloud numbers' webhooks, fetched from the central server the workspace is enrolled with.
  const relay = createCloudRelay({
    store,
    secrets,
    logger,
    connections,
    newId: options.newId ?? createId,
    storedPhoneNumberIds: createStoredPhoneNumberIds({
      store,
      secrets,
      override: options.whatsapp?.cloudApi?.numberConfig,
    }),
    ...options.cloudRelay,
  });
  // Or taken directly, on a host Meta can reach (the same checks as the relay's intake).
  const cloudWebhooks = createDirectWebhooks({
    store,
    secrets,
    logger,
    connections,
    clock,
    newId: options.newId ?? createId,
  });
  const journal = openInboundJournal(join(options.dataDir, INBOUND_JOURNAL_FILE));
  // The database, its WAL and the journal were just created with the process's umask when new.
  const created = securePrivateFolder(options.dataDir).repaired;
  if (created.length > 0) {
    logger.debug('store.permissions_set', `Made ${created.length} new data file(s) private to this user`, {
      files: created.slice(0, 50),
    });
  }
  const alertListeners = new Set<(alert: PipelineAlert) => void>();
  const raise = (alert: PipelineAlert) => {
    for (const listener of alertListeners) listener(alert);
  };
  // API keys sealed like the sync tokens; spending written through so budgets hold across restarts.
  const aiKeys = createAiKeyRepository(store.db, secrets, logger);
  const aiLedger = createPersistentBudgetLedger({ db: store.db, now: () => clock.now(), logger });
  await aiLedger.load();
  // Circuit breakers outlive settings changes; the AI screen shows their state.
  const aiHealth = createProviderHealth({ now: () => clock.now(), logger });
  const aiFactory = createWorkspaceAiFactory({
    keys: aiKeys,
    ledger: aiLedger,
    health: aiHealth,
    logger,
    now: () => clock.now(),
    onBudgetExhausted: (workspaceId, period) => raise({ type: 'ai-budget', workspaceId, period }),
    onKeyRefused: (workspaceId, provider, status) =>
      raise({ type: 'ai-key-refused', workspaceId, provider, status }),
  });
  const activityListeners = new Set<(activity: ChatActivity) => void>();
  const unansweredListeners = new Set<(workspaceId: WorkspaceId) => void>();
  const mediaFiles = createMediaFiles(options.dataDir);
  const mediaFetcher = createMediaFetcher({
    store,
    files: mediaFiles,
    logger,
    provider: (workspaceId, e164) => {
      try {
        return connections.provider(workspaceId, e164 as E164);
      } catch {
        return undefined;
      }
    },
    mediaSettings: async (workspaceId) => (await workspaces.get(workspaceId)).settings.media,
    workspaceIds: async () => (await workspaces.list()).map((w) => w.id),
    now: () => clock.now(),
    onChanged: (workspaceId, chatId) => {
      for (const listener of activityListeners) listener({ workspaceId, chatId });
    },
  });
  // Files the owner sends, arriving in pieces from the screen.
  const mediaUploads = createMediaUploads({
    files: mediaFiles,
    now: () => clock.now(),
    maxFileBytes: async (workspaceId) =>
      (await workspaces.get(workspaceId)).settings.media.maxFileMb * 1024 * 1024,
  });
  const pipeline = createPipeline({
    store,
    logger,
    journal,
    readMedia: (sha256) => mediaFiles.read(sha256),
    onFilesToFetch: (stored) => {
      for (const m of stored) mediaFetcher.fetch(m.workspaceId, m.id);
    },
    connections: {
      provider: (workspaceId, e164) => {
        try {
          return connections.provider(workspaceId, e164);
        } catch {
          return undefined;
        }
      },
    },
    subscribe: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    onAlert: raise,
    ai: aiFactory,
    onActivity: (activity) => {
      for (const listener of activityListeners) listener(activity);
    },
    onUnanswered: (workspaceId) => {
      for (const listener of unansweredListeners) listener(workspaceId);
    },
    ...(options.pipeline?.timers !== undefined && { timers: options.pipeline.timers }),
    ...(options.pipeline?.random !== undefined && { random: options.pipeline.random }),
  });
  const ai = createAiService({
    workspaces,
    keys: aiKeys,
    ledger: aiLedger,
    health: aiHealth,
    logger,
    now: () => clock.now(),
    onChanged: (workspaceId) => pipeline.invalidate(workspaceId),
  });
  const backups = createBackupService({
    dataDir: options.dataDir,
    store,
    secrets,
    logger,
    now: () => clock.now(),
  });
  const backupSchedule = createBackupScheduler({
    backups,
    workspaceSettings: async () => (await workspaces.list()).map((w) => w.settings),
    timers: options.backups?.timers ?? realTimers,
    logger,
    ...(options.backups?.checkEveryMs !== undefined && { checkEveryMs: options.backups.checkEveryMs }),
  });
  if (restored !== undefined) {
    logger.warn('backup.restored', 'A backup was put in place; the data it replaced is kept beside it', {
      archive: restored.archive,
      keptBesideAs: restored.keptBesideAs,
      needScan: restored.needScan,
    });
  }
  const movedAway = () => backups.status().movedAway;
  /** Every number off, and shown as off: this install was moved to another computer. */
  const retireNumbers = async (running: boolean) => {
    for (const number of await createNumberDirectory(store.db).listAll()) {
      if (running) await connections.stop(number.workspaceId, number.e164, 'moved').catch(() => undefined);
      await workspaces
        .setNumberStatus(number.workspaceId, number.id, 'disabled', 'moved to another computer')
        .catch(() => undefined);
    }
  };
  // Moved to another computer: this install stops its numbers for good (two PCs on one session fight).
  const offMoved = backups.subscribe({
    changed: () => {
      if (movedAway() !== undefined) void retireNumbers(true);
    },
  });
  let closed = false;

  return {
    backups,
    backupSchedule,
    restored,
    store,
    logger,
    workspaces,
    events,
    connections,
    pipeline,
    sync,
    ai,
    cloud,
    cloudWebhooks,
    cloudRelay: relay,
    media: { files: mediaFiles, fetcher: mediaFetcher, uploads: mediaUploads },
    async start() {
      // The pipeline listens before any connection opens: offline messages arrive right after login.
      await pipeline.start();
      backupSchedule.start();
      if (movedAway() !== undefined) {
        logger.warn('backup.moved_away', 'This install was moved to another computer: its numbers stay off');
        await retireNumbers(false);
        return;
      }
      await connections.startAll();
      await sync.start();
      sync.onChanged(() => void relay.refresh().catch(() => undefined));
      // A number that runs again gets the webhooks kept for it at once, not at the relay's next poll.
      connectionListeners.add((event) => {
        if (event.type === 'state' && event.state.status === 'connected')
          void relay
            .release(event.workspaceId)
            .catch((error: unknown) =>
              logger.error('cloud.relay_failed', 'Handing kept webhooks to a number failed', { error }),
            );
      });
      await relay.start();
      await mediaFetcher.resume();
    },
    onPipelineAlert(listener) {
      alertListeners.add(listener);
      return () => alertListeners.delete(listener);
    },
    async connect(workspaceId, phoneNumberId) {
      if (movedAway() !== undefined) {
        throw new SwitchboardError(
          'CONFLICT',
          'Switchboard was moved to another computer from here, so this copy no longer connects. Use the new computer.',
        );
      }
      const number = await createPhoneNumberRepository(store.db).get(workspaceId, phoneNumberId);
      if (number === undefined) {
        throw new SwitchboardError('NOT_FOUND', 'That number is not linked to this workspace.', {
          phoneNumberId,
        });
      }
      connections.start(number, 'connect requested');
    },
    onChatActivity(listener) {
      activityListeners.add(listener);
      return () => activityListeners.delete(listener);
    },
    onUnanswered(listener) {
      unansweredListeners.add(listener);
      return () => unansweredListeners.delete(listener);
    },
    onConnectionEvent(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    async backup(destination, onProgress) {
      const result = await backupDatabase(store, destination, onProgress === undefined ? {} : { onProgress });
      logger.info('store.backup', `Backup written to ${destination}`, { ...result });
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      backupSchedule.stop();
      offMoved();
      retention.stop();
      cloudWebhooks.close();
      detachCloud();
      await relay.stop();
      await sync.stop();
      await mediaFetcher.stop();
      await mediaUploads.stop();
      await connections.stopAll();
      await pipeline.stop();
      await aiLedger.flush();
      journal.close();
      restoreConsole();
      await logger.close();
      await store.close();
    },
  };
}

/** Wires the connection manager to the store: Baileys providers with SQLite auth, statuses saved and logged. */
function createWhatsAppConnections(
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
