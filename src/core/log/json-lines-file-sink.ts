import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join, parse } from 'node:path';
import type { LogSink } from './log-types';
import { entryToJsonLine } from './logger';

/**
 * A rotating JSON-lines file for the headless host (the desktop app uses electron-log's file instead).
 * write() only queues the line; one async writer appends whatever has queued in a single call, and
 * rotates when the next lines would pass maxBytes: switchboard.log -> switchboard.1.log -> ... keeping
 * maxFiles files in all. A FileHandle rather than a write stream, because rotation must know when the
 * bytes are on disk before renaming, and a stream only says so by ending. Failures are counted and the
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
  const fileName = options.fileName ?? 'switchboard.log';
  const maxBytes = Math.max(1, options.maxBytes ?? 5 * 1024 * 1024);
  const maxFiles = Math.max(1, Math.floor(options.maxFiles ?? 5));
  const maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
  const { name, ext } = parse(fileName);
  const fileAt = (index: number): string =>
    join(options.dir, index === 0 ? fileName : `${name}.${index}${ext}`);
  const path = fileAt(0);

  let pending: string[] = [];
  let pendingChars = 0;
  let handle: FileHandle | null = null;
  let size = 0;
  let pumping: Promise<void> | null = null;
  let scheduled: NodeJS.Immediate | null = null;
  let closed = false;
  const stats: JsonLinesFileSinkStats = { written: 0, dropped: 0, errors: 0, rotations: 0 };

  const openCurrent = async (): Promise<FileHandle> => {
    if (handle !== null) return handle;
    await mkdir(options.dir, { recursive: true });
    const opened = await open(path, 'a');
    try {
      size = (await opened.stat()).size;
    } catch (error) {
      await opened.close().catch(() => undefined);
      throw error;
    }
    handle = opened;
    return opened;
  };

  const closeCurrent = async (): Promise<void> => {
    const current = handle;
    handle = null;
    if (current !== null) await current.close().catch(() => undefined);
  };

  const rotate = async (): Promise<void> => {
    await closeCurrent();
    await unlinkIfPresent(fileAt(maxFiles - 1));
    for (let i = maxFiles - 2; i >= 0; i--) await renameIfPresent(fileAt(i), fileAt(i + 1));
    size = 0;
    stats.rotations += 1;
  };

  /** Takes the lines that fit in the current file (at least one, so an oversized line still goes). */
  const takeChunk = (room: number): { text: string; bytes: number; lines: number } => {
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
  };

  const pumpLoop = async (): Promise<void> => {
    while (pending.length > 0) {
      let lines = 0;
      try {
        await openCurrent();
        const firstBytes = Buffer.byteLength(pending[0]!);
        if (size > 0 && size + firstBytes > maxBytes) {
          let rotated = true;
          try {
            await rotate();
          } catch {
            rotated = false;
            stats.errors += 1;
          }
          await openCurrent();
          // Another program holds a file (Windows): keep appending rather than lose lines, and try
          // again after another maxBytes.
          if (!rotated) size = 0;
        }
        const chunk = takeChunk(Math.max(maxBytes - size, 0));
        lines = chunk.lines;
        await handle!.appendFile(chunk.text);
        size += chunk.bytes;
        stats.written += chunk.lines;
      } catch {
        stats.errors += 1;
        // Drop what was being written (or, if opening failed, the oldest line) so a broken disk
        // cannot spin this loop; the next write tries to reopen the file.
        if (lines === 0) {
          const line = pending.shift();
          if (line !== undefined) pendingChars -= line.length;
          lines = 1;
        }
        stats.dropped += lines;
        await closeCurrent();
      }
    }
  };

  const pump = (): Promise<void> => {
    if (pumping === null) {
      pumping = pumpLoop().finally(() => {
        pumping = null;
        // Lines queued while the loop was finishing would otherwise wait for the next write.
        if (pending.length > 0 && scheduled === null && !closed) {
          scheduled = setImmediate(() => {
            scheduled = null;
            void pump();
          });
        }
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
    while (pending.length > 0 || pumping !== null) await pump();
  };

  return {
    path,
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
      if (pendingChars + line.length > maxPendingBytes) {
        stats.dropped += 1;
        return;
      }
      pending.push(line);
      pendingChars += line.length;
      // Defer a tick so a burst of writes goes out in one append.
      if (scheduled === null && pumping === null) {
        scheduled = setImmediate(() => {
          scheduled = null;
          void pump();
        });
      }
    },
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      await closeCurrent();
    },
    stats: () => ({ ...stats }),
  };
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
