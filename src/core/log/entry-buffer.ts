import type { LogLevel } from '../../shared/types';
import type { LogEntry } from './log-types';

/**
 * A FIFO that can also drop its oldest debug entry in O(1): dropped slots become holes that take()
 * skips, and a side queue remembers where the debug entries are.
 */
export type EntryBuffer = ReturnType<typeof createEntryBuffer>;

export function createEntryBuffer() {
  let slots: (LogEntry | undefined)[] = [];
  let head = 0; // first slot not yet taken
  let offset = 0; // absolute index of slots[0]
  let live = 0;
  let debugAt: number[] = []; // absolute indices of debug entries, oldest first
  let debugHead = 0;

  const compact = (): void => {
    if (head < 1024 || head * 2 < slots.length) return;
    slots = slots.slice(head);
    offset += head;
    head = 0;
    while (debugHead < debugAt.length && debugAt[debugHead]! < offset) debugHead += 1;
    debugAt = debugAt.slice(debugHead);
    debugHead = 0;
  };

  return {
    size: () => live,
    push(entry: LogEntry): void {
      if (entry.level === 'debug') debugAt.push(offset + slots.length);
      slots.push(entry);
      live += 1;
    },
    take(max: number): LogEntry[] {
      const out: LogEntry[] = [];
      while (out.length < max && head < slots.length) {
        const entry = slots[head];
        slots[head] = undefined;
        head += 1;
        if (entry !== undefined) out.push(entry);
      }
      live -= out.length;
      compact();
      return out;
    },
    /** Drops the oldest debug entry, or else the oldest entry; returns its level. */
    dropOldest(): LogLevel | undefined {
      while (debugHead < debugAt.length) {
        const index = debugAt[debugHead]! - offset;
        debugHead += 1;
        if (index >= head && slots[index] !== undefined) {
          slots[index] = undefined;
          live -= 1;
          return 'debug';
        }
      }
      while (head < slots.length) {
        const entry = slots[head];
        slots[head] = undefined;
        head += 1;
        if (entry !== undefined) {
          live -= 1;
          compact();
          return entry.level;
        }
      }
      return undefined;
    },
  };
}
