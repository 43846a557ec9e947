/**
 * The contract's half of the core: the handlers and events the shells bind, built on a running
 * Switchboard. The rule between the two composition roots: `app.ts` builds the core's running parts
 * and owns their lifetimes; this file builds only what the contract needs on top of them (the event
 * hub, the FAQ service, reminders) and forwards the parts' events to it.
 */
import type { CoreHandlers } from '../../shared/contract';
import type { WorkspaceId } from '../../shared/types';
import type { Switchboard } from '../app';
import type { PipelineAlert } from '../pipeline/pipeline';
import { createId, systemClock, type Clock, type IdGenerator } from '../ids';
import { createConnectionHandlers } from './connection-handlers';
import { createConversationHandlers } from './conversation-handlers';
import { bridgeConnectionEvents, type ConnectionEventBridge } from './connection-events';
import type { HandlerContext } from './context';
import { createEventHub, type EventHub } from './event-hub';
import { createFaqHandlers } from './faq-handlers';
import { createFaqService } from '../bot/faq/faq-service';
import type { LiveLogSink } from './live-log-sink';
import { createLogHandlers } from './log-handlers';
import { createMediaHandlers } from './media-handlers';
import { createMediaSendHandlers } from './media-send-handlers';
import type { OpenFile } from '../media/open-media';
import { createStatsHandlers } from './stats-handlers';
import { createUnreadHandlers } from './unread-handlers';
import { createInboxHandlers } from './inbox-handlers';
import { createSyncHandlers } from './sync-handlers';
import { createAiHandlers } from './ai-handlers';
import { createCloudHandlers } from './cloud-handlers';
import { createLearnHandlers } from './learn-handlers';
import { createBackupHandlers } from './backup-handlers';
import { createWorkspaceHandlers } from './workspace-handlers';
import { createContactRepository } from '../store/repositories/contacts';
import { createConversationRepository } from '../store/repositories/conversations';
import { realTimers, type Timers } from '../timers';
import { createWaitingReminders, type WaitingChat } from './waiting-reminders';
import { aiAlertEvent } from './ai-alerts';

export interface CoreRuntimeOptions {
  /** The sink the shell passed to createSwitchboard, for the Logs screen's live tail. */
  liveLog?: LiveLogSink;
  clock?: Clock;
  newId?: IdGenerator;
  /** The reminders' timer (tests move it by hand). */
  timers?: Timers;
  /** How often the reminders look for chats still waiting; default 30 s. */
  reminderCheckMs?: number;
  /** The desktop opens documents with the OS (`media.open`); without it the browser downloads them. */
  openFile?: OpenFile;
}

export interface CoreRuntime {
  /** The core's half of the contract; each shell adds its own `ShellHandlers`. */
  readonly handlers: CoreHandlers;
  /** The contract's events, for the bindings to forward. */
  readonly events: EventHub;
  readonly connectionEvents: ConnectionEventBridge;
  /** Stops forwarding events; the core itself is closed by its owner. */
  close(): void;
}

/** The core's implementation of the contract, built on a running Switchboard. */
export function createCoreRuntime(app: Switchboard, options: CoreRuntimeOptions = {}): CoreRuntime {
  const clock = options.clock ?? systemClock;
  const hub = createEventHub((error, event) =>
    app.logger.error('error', `a listener of ${event} failed`, { error, event }),
  );
  const connectionEvents = bridgeConnectionEvents({
    subscribe: (listener) => app.onConnectionEvent(listener),
    events: hub,
    clock,
  });
  const faqs = createFaqService({
    store: app.store,
    logger: app.logger,
    clock,
    newId: options.newId ?? createId,
    requireWorkspace: (workspaceId: WorkspaceId) => app.workspaces.get(workspaceId),
  });
  const detachLiveLog = options.liveLog?.attach({
    flush: () => app.logger.flush(),
    onAppended: (workspaceIds) => hub.emit('log.appended', { workspaceIds }),
  });
  const ctx: HandlerContext = { app, hub, connectionEvents, faqs, clock };
  const offs = [
    ...forwardChatChanges(app, hub),
    ...tellOwner(app, hub, options),
    ...forwardStatusChanges(app, hub),
  ];
  const handlers = {
    ...createWorkspaceHandlers(ctx),
    ...createConnectionHandlers(ctx),
    ...createFaqHandlers(ctx),
    ...createLogHandlers(ctx),
    ...createConversationHandlers(ctx),
    ...createUnreadHandlers(ctx),
    ...createInboxHandlers(ctx),
    ...createSyncHandlers(ctx),
    ...createAiHandlers(ctx),
    ...createCloudHandlers(ctx),
    ...createStatsHandlers(ctx),
    ...createLearnHandlers(ctx),
    ...createMediaHandlers(ctx, options.openFile),
    ...createBackupHandlers(ctx),
    ...createMediaSendHandlers(ctx),
  } satisfies CoreHandlers;

  return {
    handlers,
    events: hub,
    connectionEvents,
    close() {
      for (const off of offs) off();
      detachLiveLog?.();
      connectionEvents.stop();
      hub.clear();
    },
  };
}

type Off = () => void;

/** FAQ, settings and chat changes: the pipeline's cache dropped, the Conversations screen reloaded. */
function forwardChatChanges(app: Switchboard, hub: EventHub): Off[] {
  return [
    // An FAQ or settings change reaches the next customer at once, not after the pipeline's cache expires.
    hub.on('faq.changed', ({ workspaceId }) => app.pipeline.invalidate(workspaceId)),
    hub.on('workspace.changed', ({ workspaceId }) => app.pipeline.invalidate(workspaceId)),
    // Chats changed in the pipeline (a message stored, a reply sent): the Conversations screen reloads.
    app.onChatActivity(({ workspaceId, chatId }) =>
      hub.emit('conversation.changed', { workspaceId, chatId }),
    ),
  ];
}

/** What the owner is told at once: a chat needing a person (and again while it waits), an AI alert. */
function tellOwner(app: Switchboard, hub: EventHub, options: CoreRuntimeOptions): Off[] {
  const timers = options.timers ?? realTimers;
  // A chat started needing a person: the shells notify the owner (desktop notification, browser).
  const contacts = createContactRepository(app.store.db);
  const offNeedsPerson = app.onPipelineAlert((alert) => {
    if (alert.type !== 'handoff') return;
    void tellHandoff(app, hub, contacts, alert).catch((error: unknown) =>
      app.logger.error('error', 'telling the owner about a chat that needs a person failed', { error }),
    );
  });
  // The AI budget ran out, or a provider refused its key: told at once, like a chat needing a person.
  const offAiAlert = app.onPipelineAlert((alert) => {
    const told = aiAlertEvent(alert, timers.now());
    if (told !== null) hub.emit('ai.alerted', told);
  });
  // A chat still waiting after the workspace's reminder minutes is notified again, once per that time.
  const reminders = createWaitingReminders({
    timers,
    ...(options.reminderCheckMs !== undefined && { checkEveryMs: options.reminderCheckMs }),
    loadWaiting: () => waitingChats(app, contacts),
    remind: (event) => hub.emit('conversation.escalated', event),
    onError: (error) => app.logger.warn('error', 'reading the chats waiting for a person failed', { error }),
  });
  const offTold = hub.on('conversation.escalated', ({ workspaceId, chatId }) =>
    reminders.noteTold(workspaceId, chatId, timers.now()),
  );
  return [offNeedsPerson, offAiAlert, () => reminders.stop(), offTold];
}

type HandoffAlert = Extract<PipelineAlert, { type: 'handoff' }>;

async function tellHandoff(
  app: Switchboard,
  hub: EventHub,
  contacts: ReturnType<typeof createContactRepository>,
  alert: HandoffAlert,
): Promise<void> {
  // The sender's alerts name the chat only: its contact is the conversation's.
  const contactId =
    alert.contactId ??
    (
      await createConversationRepository(app.store.db).get(
        alert.workspaceId,
        alert.businessNumber,
        alert.chatId,
      )
    )?.contactId ??
    null;
  const contact = contactId === null ? undefined : await contacts.get(alert.workspaceId, contactId);
  hub.emit('conversation.escalated', {
    workspaceId: alert.workspaceId,
    chatId: alert.chatId,
    businessNumber: alert.businessNumber,
    contactName: contact?.name ?? null,
    contactPhone: contact?.phone ?? null,
    reason: alert.reason,
    waitingSince: alert.waitingSince,
    again: alert.again,
  });
}

/** Unanswered questions, sync, the webhook relay and backups: their screens refresh. */
function forwardStatusChanges(app: Switchboard, hub: EventHub): Off[] {
  return [
    app.onUnanswered((workspaceId) => hub.emit('unanswered.changed', { workspaceId })),
    app.sync.onChanged((workspaceId) => hub.emit('sync.changed', { workspaceId })),
    app.cloudRelay.onChanged((status) => hub.emit('cloud.relayChanged', status)),
    app.backups.subscribe({
      progressed: (progress) => hub.emit('backup.progressed', progress),
      changed: () => hub.emit('backup.changed', {}),
    }),
  ];
}

/** Every chat a person owes an answer, over the workspaces that remind, once per chat (its earliest wait). */
async function waitingChats(
  app: Switchboard,
  contacts: ReturnType<typeof createContactRepository>,
): Promise<WaitingChat[]> {
  const chats: WaitingChat[] = [];
  for (const workspace of await app.workspaces.list()) {
    const remindAfterMinutes = workspace.settings.notifications.remindAfterMinutes;
    if (remindAfterMinutes <= 0) continue;
    const seen = new Set<string>();
    for (const record of await createConversationRepository(app.store.db).listWaiting(workspace.id, 1000)) {
      if (record.waiting === null || seen.has(record.chatId)) continue;
      seen.add(record.chatId);
      const contact =
        record.contactId === null ? undefined : await contacts.get(workspace.id, record.contactId);
      chats.push({
        workspaceId: workspace.id,
        chatId: record.chatId,
        businessNumber: record.businessNumber,
        contactName: contact?.name ?? null,
        contactPhone: contact?.phone ?? null,
        waitingSince: record.waiting.since,
        remindAfterMinutes,
      });
    }
  }
  return chats;
}
