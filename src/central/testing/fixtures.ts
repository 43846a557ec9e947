/** Test and benchmark data: events, batches and installations shaped like what the push client sends. */
import type { InstallationInfo, IngestRequest, SyncedEvent } from '../../shared/sync-protocol';

/** A fixed day (2025-06-02 12:00 UTC) so day counters and charts are predictable. */
export const FIXED_NOW = Date.UTC(2025, 5, 2, 12, 0, 0);

const TYPES = ['message.received', 'route.decided', 'message.sent', 'connection.changed', 'perf'] as const;

export function makeEvent(seq: number, overrides: Partial<SyncedEvent> = {}): SyncedEvent {
  const type = TYPES[seq % TYPES.length]!;
  return {
    seq,
    ts: FIXED_NOW - 60_000 + seq,
    level: seq % 50 === 0 ? 'error' : seq % 7 === 0 ? 'warn' : 'info',
    type,
    contactId: `contact-${seq % 40}`,
    message: `${type} for chat ${seq % 40}`,
    meta: JSON.stringify({
      chatId: `23480${String(seq % 40).padStart(8, '0')}@s.whatsapp.net`,
      messageId: `3EB0${seq.toString(16).toUpperCase().padStart(12, '0')}`,
      durationMs: seq % 97,
    }),
    text: null,
    ...overrides,
  };
}

/** Events with seqs from..from+count-1. */
export function makeEvents(from: number, count: number, overrides: Partial<SyncedEvent> = {}): SyncedEvent[] {
  return Array.from({ length: count }, (_, i) => makeEvent(from + i, overrides));
}

export function makeBatch(
  installationId: string,
  events: SyncedEvent[],
  extra: Partial<Omit<IngestRequest, 'installationId' | 'events'>> = {},
): IngestRequest {
  return { protocol: 1, installationId, events, numbers: [], backlog: 0, ...extra };
}

let installationCounter = 0;

export function makeInstallation(overrides: Partial<InstallationInfo> = {}): InstallationInfo {
  installationCounter += 1;
  return {
    id: `inst-${process.pid}-${installationCounter}-${Math.random().toString(36).slice(2, 10)}`,
    name: `Shop PC ${installationCounter}`,
    appVersion: '0.1.0',
    platform: 'win32',
    ...overrides,
  };
}
