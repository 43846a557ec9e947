/**
 * The contract's names, with no imports at all: the sandboxed preload bundles this file to build its
 * allow-lists, and a preload can load no library (zod included) at run time. contract.ts checks at
 * compile time that these lists and its schema map name exactly the same commands and events.
 */

export const COMMAND_NAMES = [
  'app.info',
  'app.setStartAtLogin',
  'demo.scanQr',
  'demo.enterPairingCode',
  'workspace.list',
  'workspace.create',
  'workspace.update',
  'workspace.updateSettings',
  'number.add',
  'number.remove',
  'connection.list',
  'connection.pair',
  'connection.requestPairingCode',
  'connection.reconnect',
  'faq.list',
  'faq.create',
  'faq.update',
  'faq.delete',
  'faq.try',
  'faq.exportCsv',
  'faq.importCsv',
  'unanswered.list',
  'unanswered.resolve',
  'log.query',
  'log.export',
  'stats.home',
  'conversation.list',
  'conversation.thread',
  'conversation.release',
  'conversation.takeOver',
  'conversation.pause',
  'conversation.reply',
  'conversation.markRead',
  'conversation.counts',
  'sync.status',
  'sync.enroll',
  'sync.leave',
  'sync.update',
  'ai.status',
  'ai.saveProvider',
  'ai.removeProvider',
  'ai.update',
  'ai.test',
  'cloud.connect',
  'cloud.status',
  'cloud.relay',
  'cloud.templates',
  'cloud.window',
  'conversation.sendTemplate',
  // The inbox (inbox-contract.ts).
  'conversation.retry',
  'inbox.search',
  'label.list',
  'label.create',
  'label.update',
  'label.delete',
  'conversation.setLabels',
  'reply.list',
  'reply.create',
  'reply.update',
  'reply.delete',
  'reply.quick',
  'contact.card',
  'contact.update',
  'learn.suggest',
  'learn.save',
  'learn.week',
  'learn.sendAnswer',
  'media.read',
  'media.retry',
  'media.open',
  'backup.status',
  'backup.settings',
  'backup.configure',
  'backup.create',
  'backup.list',
  'backup.restore',
  'backup.move',
  'backup.inspect',
  // Files the owner sends (media-send-contract.ts).
  'media.uploadStart',
  'media.uploadChunk',
  'media.uploadFinish',
  'media.uploadCancel',
  'conversation.sendMedia',
  'faq.attachment',
  'faq.attach',
  'faq.detach',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Commands each shell implements itself (they depend on Electron, or on demo mode); the core does the rest. */
export const SHELL_COMMAND_NAMES = [
  'app.info',
  'app.setStartAtLogin',
  'demo.scanQr',
  'demo.enterPairingCode',
] as const satisfies readonly CommandName[];
export type ShellCommandName = (typeof SHELL_COMMAND_NAMES)[number];
export type CoreCommandName = Exclude<CommandName, ShellCommandName>;

/** Event names are past tense: something that already happened. */
export const EVENT_NAMES = [
  'connection.changed',
  'connection.qrReceived',
  'connection.pairingCodeReceived',
  'alert.raised',
  'message.received',
  'workspace.changed',
  'faq.changed',
  'faq.importProgressed',
  'unanswered.changed',
  'log.appended',
  'conversation.changed',
  'conversation.escalated',
  'notification.clicked',
  'sync.changed',
  'cloud.relayChanged',
  'ai.alerted',
  'backup.progressed',
  'backup.changed',
  'backup.restoreStaged',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && (COMMAND_NAMES as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

/** IPC channel names, shared by the preload (renderer side) and the main process binding. */
export const commandChannel = (name: string): string => `cmd:${name}`;
export const eventChannel = (name: string): string => `evt:${name}`;
