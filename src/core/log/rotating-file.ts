import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join, parse } from 'node:path';

/**
 * An append-only file that rotates: switchboard.log -> switchboard.1.log -> ..., keeping maxFiles files
 * in all. A FileHandle rather than a write stream, because rotation must know when the bytes are on
 * disk before renaming, and a stream only says so by ending.
 */
export interface RotatingFile {
  readonly path: string;
  /** Bytes in the current file, as far as this process knows. */
  readonly size: number;
  readonly rotations: number;
  /** Opens the current file if it is not open (reading its size). */
  open(): Promise<void>;
  append(text: string, bytes: number): Promise<void>;
  /** Closes the current file and shifts the older ones up, dropping the oldest. */
  rotate(): Promise<void>;
  /** Counts the current file as empty: a rotation that failed is tried again after another maxBytes. */
  forgetSize(): void;
  close(): Promise<void>;
}

export function createRotatingFile(dir: string, fileName: string, maxFiles: number): RotatingFile {
  const { name, ext } = parse(fileName);
  const fileAt = (index: number): string => join(dir, index === 0 ? fileName : `${name}.${index}${ext}`);
  const path = fileAt(0);
  let handle: FileHandle | null = null;
  let size = 0;
  let rotations = 0;

  const close = async (): Promise<void> => {
    const current = handle;
    handle = null;
    if (current !== null) await current.close().catch(() => undefined);
  };

  return {
    path,
    get size() {
      return size;
    },
    get rotations() {
      return rotations;
    },
    async open() {
      if (handle !== null) return;
      await mkdir(dir, { recursive: true });
      const opened = await open(path, 'a');
      try {
        size = (await opened.stat()).size;
      } catch (error) {
        await opened.close().catch(() => undefined);
        throw error;
      }
      handle = opened;
    },
    async append(text, bytes) {
      if (handle === null) throw new Error(`${path} is not open`);
      await handle.appendFile(text);
      size += bytes;
    },
    async rotate() {
      await close();
      await unlinkIfPresent(fileAt(maxFiles - 1));
      for (let i = maxFiles - 2; i >= 0; i--) await renameIfPresent(fileAt(i), fileAt(i + 1));
      size = 0;
      rotations += 1;
    },
    forgetSize() {
      size = 0;
    },
    close,
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
