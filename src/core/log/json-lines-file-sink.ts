import type { LogSink } from './log-types';
import { entryToJsonLine } from './logger';
import { createRotatingFile, type RotatingFile } from './rotating-file';

/**
 * A rotating JSON-lines file for the headless host (the desktop app uses electron-log's file instead).
 * write() only queues the line; one async writer appends whatever has queued in a single call, and
 * rotates when the next lines would pass maxBytes (rotating-file.ts). Failures are counted and the
 * lines dropped: the file log is a copy for humans and must never take the app down.
 */

export interface JsonLinesFileSinkOptions {
  dir: string;
  fileName?: string;
  maxBytes?: number;
  /** Files kept in all, the current one included. */
  maxFiles?: number;
  /** Queued text beyond this is dropped (a stalled disk must not eat the memory). */
  maxPendingBytes?: number;
}

export interface JsonLinesFileSinkStats {
  written: number;
  dropped: number;
  errors: number;
  rotations: number;
}

export interface JsonLinesFileSink extends LogSink {
  readonly path: string;
  stats(): JsonLinesFileSinkStats;
}

export function createJsonLinesFileSink(options: JsonLinesFileSinkOptions): JsonLinesFileSink {
  const maxBytes = Math.max(1, options.maxBytes ?? 5 * 1024 * 1024);
  const maxFiles = Math.max(1, Math.floor(options.maxFiles ?? 5));
  const file = createRotatingFile(options.dir, options.fileName ?? 'switchboard.log', maxFiles);
  const queue = createLineQueue(options.maxPendingBytes ?? 8 * 1024 * 1024);
  let pumping: Promise<void> | null = null;
  let scheduled: NodeJS.Immediate | null = null;
  let closed = false;
  const stats = { written: 0, dropped: 0, errors: 0 };

  const pumpSoon = (): void => {
    scheduled = setImmediate(() => {
      scheduled = null;
      void pump();
    });
  };

  const pump = (): Promise<void> => {
    if (pumping === null) {
      pumping = pumpLines(file, queue, maxBytes, stats).finally(() => {
        pumping = null;
        // Lines queued while the loop was finishing would otherwise wait for the next write.
        if (queue.length > 0 && scheduled === null && !closed) pumpSoon();
      });
    }
    return pumping;
  };

  const flush = async (): Promise<void> => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    // A pump started before these lines queued may already be past its loop check: go again.
    while (queue.length > 0 || pumping !== null) await pump();
  };

  return {
    path: file.path,
    write(entry) {
      if (closed) {
        stats.dropped += 1;
        return;
      }
      let line: string;
      try {
        line = entryToJsonLine(entry) + '\n';
      } catch {
        stats.errors += 1;
        stats.dropped += 1;
        return;
      }
      if (!queue.push(line)) {
        stats.dropped += 1;
        return;
      }
      // Defer a tick so a burst of writes goes out in one append.
      if (scheduled === null && pumping === null) pumpSoon();
    },
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      await file.close();
    },
    stats: () => ({ ...stats, rotations: file.rotations }),
  };
}

/** Appends queued lines until none are left, rotating first when the next line would pass maxBytes. */
async function pumpLines(
  file: RotatingFile,
  queue: LineQueue,
  maxBytes: number,
  stats: { written: number; dropped: number; errors: number },
): Promise<void> {
  while (queue.length > 0) {
    let lines = 0;
    try {
      await file.open();
      if (file.size > 0 && file.size + queue.firstBytes() > maxBytes) {
        let rotated = true;
        try {
          await file.rotate();
        } catch {
          rotated = false;
          stats.errors += 1;
        }
        await file.open();
        // Another program holds a file (Windows): keep appending rather than lose lines, and try
        // again after another maxBytes.
        if (!rotated) file.forgetSize();
      }
      const chunk = queue.take(Math.max(maxBytes - file.size, 0));
      lines = chunk.lines;
      await file.append(chunk.text, chunk.bytes);
      stats.written += chunk.lines;
    } catch {
      stats.errors += 1;
      // Drop what was being written (or, if opening failed, the oldest line) so a broken disk
      // cannot spin this loop; the next write tries to reopen the file.
      if (lines === 0) {
        queue.dropFirst();
        lines = 1;
      }
      stats.dropped += lines;
      await file.close();
    }
  }
}

type LineQueue = ReturnType<typeof createLineQueue>;

/** Lines waiting to be appended, bounded by their total length. */
function createLineQueue(maxPendingBytes: number) {
  let pending: string[] = [];
  let pendingChars = 0;
  return {
    get length() {
      return pending.length;
    },
    /** False when the queue is full (the line is not queued). */
    push(line: string): boolean {
      if (pendingChars + line.length > maxPendingBytes) return false;
      pending.push(line);
      pendingChars += line.length;
      return true;
    },
    firstBytes: () => Buffer.byteLength(pending[0]!),
    /** Takes the lines that fit in `room` bytes (at least one, so an oversized line still goes). */
    take(room: number): { text: string; bytes: number; lines: number } {
      let bytes = 0;
      let count = 0;
      while (count < pending.length) {
        const lineBytes = Buffer.byteLength(pending[count]!);
        if (count > 0 && bytes + lineBytes > room) break;
        bytes += lineBytes;
        count += 1;
      }
      const lines = pending.slice(0, count);
      pending = pending.slice(count);
      for (const line of lines) pendingChars -= line.length;
      return { text: lines.join(''), bytes, lines: count };
    },
    dropFirst(): void {
      const line = pending.shift();
      if (line !== undefined) pendingChars -= line.length;
    },
  };
}
