/**
 * The core's composition root: every shell (desktop, headless, tests) builds the core through here,
 * so they all run the same wiring. The rule between the two roots: this one builds the core's running
 * parts (store, logging, connections, pipeline, sync, relay, AI, backups, media) from named builders
 * in `composition/`; `handlers/runtime.ts` builds nothing of its own state but the contract's
 * handlers and events on top of a running Switchboard.
 */
import type { LogLevel, WorkspaceId } from '../shared/types';
import type { StagedRestore } from './backup/restore-staging';
import type { CloudService } from './cloud/cloud-service';
import type { DirectWebhooks } from './cloud/direct-webhooks';
import { createAiParts } from './composition/ai';
import { createBackupParts, type BackupOptions } from './composition/backups';
import { createCloudIntake, loadCloudService, type CloudRelayOptions } from './composition/cloud';
import { createListeners } from './composition/listeners';
import { createCoreLogging, startRetention, type RetentionOptions } from './composition/logging';
import { createMediaParts } from './composition/media';
import { createCorePipeline } from './composition/pipeline';
import { openCoreStore, openJournal, reportStoreOpened } from './composition/store';
import { createWhatsAppConnections, sealOldSessionKeys, type WhatsAppOptions } from './composition/whatsapp';
import type { ConnectionEvent, ConnectionManager } from './connection/connection-manager';
import type { AiService } from './bot/ai/ai-service';
import type { BackupService } from './backup/backup-service';
import type { BackupScheduler } from './backup/backup-scheduler';
import { SwitchboardError } from './errors';
import { createId, systemClock, type Clock, type IdGenerator } from './ids';
import type { LogSink } from './log/log-types';
import type { Logger } from './log/logger';
import type { MediaFetcher } from './media/media-fetcher';
import type { MediaFiles } from './media/media-files';
import type { MediaUploads } from './media/media-uploads';
import type { ChatActivity, Pipeline, PipelineAlert } from './pipeline/pipeline';
import type { SecretBox } from './secrets/secret-box';
import { backupDatabase, type BackupProgress, type BackupResult } from './store/backup';
import type { Store } from './store/open-database';
import type { EventLogRepository } from './store/repositories/event-log';
import { createPhoneNumberRepository } from './store/repositories/phone-numbers';
import type { SyncService, SyncServiceOptions } from './sync/sync-service';
import { createSyncService } from './sync/sync-service';
import type { CloudRelay } from './whatsapp/cloud-api/relay-client';
import type { Timers } from './timers';
import { createWorkspaceService, type WorkspaceService } from './workspace/workspace-service';

export { DATABASE_FILE, INBOUND_JOURNAL_FILE } from './composition/store';
export type { CloudApiOptions, WhatsAppOptions } from './composition/whatsapp';

export interface SwitchboardOptions {
  /** Folder for the database (and the file log, when the shell writes one there). */
  dataDir: string;
  /** Extra sinks from the shell: electron-log in the desktop app, a JSON-lines file headless. */
  sinks?: LogSink[];
  minLogLevel?: LogLevel;
  retention?: RetentionOptions;
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
  cloudRelay?: CloudRelayOptions;
  /** Daily backups: how often closing time is checked for (default 5 min); the timer (tests). */
  backups?: BackupOptions;
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

/** Builds the core from its named parts, in the order each needs the ones before. */
export async function createSwitchboard(options: SwitchboardOptions): Promise<Switchboard> {
  const base = openConnections(await openBase(options), options);
  const { store, secrets, logger, clock, workspaces, connections } = base;
  const journal = openJournal(options.dataDir, logger);
  const alerts = createListeners<PipelineAlert>();
  const ai = await createAiParts({ store, secrets, logger, clock, raise: alerts.emit });
  const activity = createListeners<ChatActivity>();
  const unanswered = createListeners<WorkspaceId>();
  const media = createMediaParts({
    dataDir: options.dataDir,
    store,
    logger,
    clock,
    workspaces,
    connections,
    onChanged: (workspaceId, chatId) => activity.emit({ workspaceId, chatId }),
  });
  const pipeline = createCorePipeline({
    store,
    logger,
    journal,
    media,
    connections,
    subscribe: base.connectionEvents.add,
    ai: ai.factory,
    onAlert: alerts.emit,
    onActivity: activity.emit,
    onUnanswered: unanswered.emit,
    options: options.pipeline,
  });
  const backupParts = createBackupParts({
    dataDir: options.dataDir,
    store,
    secrets,
    logger,
    clock,
    workspaces,
    connections,
    restored: base.restored,
    options: options.backups,
  });
  const parts: CoreParts = {
    ...base,
    connections,
    journal,
    media,
    pipeline,
    backupParts,
    aiLedger: ai.ledger,
    ai: ai.service(workspaces, (workspaceId) => pipeline.invalidate(workspaceId)),
  };
  return assemble(parts, { alerts, activity, unanswered });
}

/** The store, the logger, the workspaces, sync, the Cloud service and the event log's retention. */
async function openBase(options: SwitchboardOptions) {
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? createId;
  const opened = await openCoreStore(options);
  const { store, secrets } = opened;
  const { logger, events, restoreConsole } = createCoreLogging({ ...options, store, clock });
  await reportStoreOpened(opened, options.dataDir, logger, clock);
  const workspaces = createWorkspaceService({ store, logger, clock, newId });
  const sync = createSyncService({
    store,
    logger,
    secrets,
    events,
    getWorkspace: (workspaceId) => workspaces.get(workspaceId),
    ...options.sync,
  });
  const cloudApi = options.whatsapp?.cloudApi;
  const cloud = await loadCloudService({ store, secrets, logger, clock, workspaces, cloudApi });
  await sealOldSessionKeys(store, secrets, logger);
  const retention = startRetention({
    events,
    logger,
    clock,
    retention: options.retention,
    backlogDropped: (ids) => sync.backlogDropped(ids),
  });
  const { restored } = opened;
  return {
    clock,
    newId,
    store,
    secrets,
    restored,
    logger,
    events,
    restoreConsole,
    workspaces,
    sync,
    cloud,
    retention,
  };
}

/** The WhatsApp connections on the base, their events to listen to, and where Cloud webhooks come in. */
function openConnections(base: Awaited<ReturnType<typeof openBase>>, options: SwitchboardOptions) {
  const { store, logger, workspaces, clock, secrets, cloud } = base;
  const cloudApi = options.whatsapp?.cloudApi;
  const connectionEvents = createListeners<ConnectionEvent>();
  const connections = createWhatsAppConnections(
    {
      store,
      logger,
      workspaces,
      options: options.whatsapp ?? {},
      clock,
      secrets,
      cloudConfig: (number) => cloudApi?.numberConfig?.(number) ?? cloud.configFor(number),
    },
    (event) => connectionEvents.emit(event),
  );
  const intake = createCloudIntake({
    store,
    secrets,
    logger,
    clock,
    newId: base.newId,
    cloud,
    connections,
    subscribe: connectionEvents.add,
    cloudApi,
    relayOptions: options.cloudRelay,
  });
  return { ...base, connectionEvents, connections, intake };
}
type CoreParts = ReturnType<typeof openConnections> & {
  pipeline: Pipeline;
  ai: AiService;
  media: { files: MediaFiles; fetcher: MediaFetcher; uploads: MediaUploads };
  journal: ReturnType<typeof openJournal>;
  backupParts: ReturnType<typeof createBackupParts>;
  aiLedger: Awaited<ReturnType<typeof createAiParts>>['ledger'];
};

/** The Switchboard the shells see, on the parts built. */
function assemble(
  parts: CoreParts,
  listeners: {
    alerts: ReturnType<typeof createListeners<PipelineAlert>>;
    activity: ReturnType<typeof createListeners<ChatActivity>>;
    unanswered: ReturnType<typeof createListeners<WorkspaceId>>;
  },
): Switchboard {
  const { store, logger, intake, backupParts } = parts;
  let closed = false;
  return {
    store,
    logger,
    restored: parts.restored,
    workspaces: parts.workspaces,
    events: parts.events,
    connections: parts.connections,
    pipeline: parts.pipeline,
    sync: parts.sync,
    ai: parts.ai,
    cloud: parts.cloud,
    media: parts.media,
    backups: backupParts.backups,
    backupSchedule: backupParts.backupSchedule,
    cloudWebhooks: intake.cloudWebhooks,
    cloudRelay: intake.relay,
    start: () => startCore(parts),
    connect: (workspaceId, phoneNumberId) => connectNumber(parts, workspaceId, phoneNumberId),
    onPipelineAlert: listeners.alerts.add,
    onChatActivity: listeners.activity.add,
    onUnanswered: listeners.unanswered.add,
    onConnectionEvent: parts.connectionEvents.add,
    async backup(destination, onProgress) {
      const result = await backupDatabase(store, destination, onProgress === undefined ? {} : { onProgress });
      logger.info('store.backup', `Backup written to ${destination}`, { ...result });
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      await closeCore(parts);
    },
  };
}

async function startCore(parts: CoreParts): Promise<void> {
  const { pipeline, backupParts, logger, connections, sync, connectionEvents } = parts;
  const { relay } = parts.intake;
  // The pipeline listens before any connection opens: offline messages arrive right after login.
  await pipeline.start();
  backupParts.backupSchedule.start();
  if (backupParts.movedAway()) {
    logger.warn('backup.moved_away', 'This install was moved to another computer: its numbers stay off');
    await backupParts.retireNumbers(false);
    return;
  }
  await connections.startAll();
  await sync.start();
  sync.onChanged(() => void relay.refresh().catch(() => undefined));
  // A number that runs again gets the webhooks kept for it at once, not at the relay's next poll.
  connectionEvents.add((event) => {
    if (event.type === 'state' && event.state.status === 'connected')
      void relay
        .release(event.workspaceId)
        .catch((error: unknown) =>
          logger.error('cloud.relay_failed', 'Handing kept webhooks to a number failed', { error }),
        );
  });
  await relay.start();
  await parts.media.fetcher.resume();
}

async function connectNumber(
  parts: CoreParts,
  workspaceId: WorkspaceId,
  phoneNumberId: string,
): Promise<void> {
  if (parts.backupParts.movedAway()) {
    throw new SwitchboardError(
      'CONFLICT',
      'Switchboard was moved to another computer from here, so this copy no longer connects. Use the new computer.',
    );
  }
  const number = await createPhoneNumberRepository(parts.store.db).get(workspaceId, phoneNumberId);
  if (number === undefined) {
    throw new SwitchboardError('NOT_FOUND', 'That number is not linked to this workspace.', {
      phoneNumberId,
    });
  }
  parts.connections.start(number, 'connect requested');
}

async function closeCore(parts: CoreParts): Promise<void> {
  parts.backupParts.backupSchedule.stop();
  parts.backupParts.offMoved();
  parts.retention.stop();
  parts.intake.cloudWebhooks.close();
  parts.intake.detachCloud();
  await parts.intake.relay.stop();
  await parts.sync.stop();
  await parts.media.fetcher.stop();
  await parts.media.uploads.stop();
  await parts.connections.stopAll();
  await parts.pipeline.stop();
  await parts.aiLedger.flush();
  parts.journal.close();
  parts.restoreConsole();
  await parts.logger.close();
  await parts.store.close();
}
