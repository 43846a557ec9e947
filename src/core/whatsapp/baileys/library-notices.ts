import type { LogLevel } from '../../../shared/types';

/**
 * What Baileys and libsignal say at warn or error in normal operation, and the level it really has.
 * WhatsApp closes the first connection after every QR scan with stream error 515 ("restart required")
 * and Switchboard reconnects at once, as designed; libsignal "closes" a session each time a customer's
 * phone starts a fresh one. Logged at their own level these read as problems in the Activity log and
 * push real ones out of view, so they are logged at this level instead (type `baileys.notice` for
 * Baileys' own). Anything not listed keeps the library's level.
 */
const ROUTINE: readonly {
  text: RegExp;
  level: LogLevel;
  when?: (meta: Record<string, unknown>) => boolean;
}[] = [
  { text: /^stream errored out$/i, level: 'info', when: (meta) => streamErrorCode(meta) === '515' },
  // Baileys' warnings about the history-sync settings it was given (Switchboard chooses them).
  { text: /DISABLING ALL SYNC|shouldSyncHistoryMsg/i, level: 'info' },
  { text: /Timeout in AwaitingInitialSync/i, level: 'info' },
  { text: /History sync is disabled/i, level: 'info' },
  // libsignal's session bookkeeping.
  { text: /^Closing open session in favor of incoming prekey bundle/i, level: 'debug' },
  { text: /^Closing stale open session/i, level: 'debug' },
  { text: /^Closing session/i, level: 'debug' },
  { text: /^Session already (closed|open)/i, level: 'debug' },
  { text: /^Decrypted message with closed session/i, level: 'debug' },
];

/** The code of a `stream:error` node Baileys logs ('515'), from either of the shapes it logs. */
function streamErrorCode(meta: Record<string, unknown>): string | null {
  for (const key of ['fullErrorNode', 'reasonNode']) {
    const node = meta[key] as { attrs?: { code?: unknown } } | undefined;
    const code = node?.attrs?.code;
    if (typeof code === 'string' || typeof code === 'number') return String(code);
  }
  return null;
}

/** The level a library message is logged at: a routine one's own, else `level` unchanged. */
export function libraryLevel(text: string, meta: Record<string, unknown>, level: LogLevel): LogLevel {
  const routine = ROUTINE.find((r) => r.text.test(text) && (r.when?.(meta) ?? true));
  if (routine === undefined) return level;
  // Never raised: a routine message the library logs lower already stays where it was.
  const rank = { debug: 0, info: 1, warn: 2, error: 3 } as const;
  return rank[routine.level] < rank[level] ? routine.level : level;
}
