import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { archiveError, type ArchiveWriter } from './archive-format';

/**
 * Named files inside an archive's plain bytes: type (1 byte: 1 = file, 0 = end) | name length (u16) |
 * name | size (u64) | bytes | SHA-256 of the bytes. The end record makes an archive whose frames are
 * whole but whose entries stop early (a writer killed between files) fail to read, as a truncation does.
 */

const ENTRY_FILE = 1;
const ENTRY_END = 0;
const READ_CHUNK = 256 * 1024;

export async function writeBufferEntry(writer: ArchiveWriter, name: string, bytes: Buffer): Promise<void> {
  await writer.write(entryHead(name, bytes.length));
  await writer.write(bytes);
  await writer.write(createHash('sha256').update(bytes).digest());
}

/** Streams a file into the archive; returns its SHA-256 (hex). The file must not change meanwhile. */
export async function writeFileEntry(
  writer: ArchiveWriter,
  name: string,
  path: string,
  onBytes?: (bytes: number) => void,
): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    await writer.write(entryHead(name, size));
    const hash = createHash('sha256');
    let done = 0;
    while (done < size) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, size - done));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, done);
      if (bytesRead === 0) throw new Error(`${path} got shorter while it was being backed up`);
      const part = chunk.subarray(0, bytesRead);
      hash.update(part);
      await writer.write(part);
      done += bytesRead;
      onBytes?.(bytesRead);
    }
    const digest = hash.digest();
    await writer.write(digest);
    return digest.toString('hex');
  } finally {
    await handle.close();
  }
}

export async function writeEndEntry(writer: ArchiveWriter): Promise<void> {
  await writer.write(Buffer.from([ENTRY_END]));
}

function entryHead(name: string, size: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const head = Buffer.alloc(1 + 2 + nameBytes.length + 8);
  head[0] = ENTRY_FILE;
  head.writeUInt16BE(nameBytes.length, 1);
  nameBytes.copy(head, 3);
  head.writeBigUInt64BE(BigInt(size), 3 + nameBytes.length);
  return head;
}

/** What a reader does with each entry's bytes: hand them to a sink, collect them, or skip them. */
export interface EntryVisitor {
  /** Returns where the entry's bytes go (undefined: read and checked, but dropped). */
  open(name: string, size: number): Promise<EntrySink | undefined> | EntrySink | undefined;
  /** Stop reading after this entry (a listing needs only the manifest). */
  stopAfter?(name: string): boolean;
}

export interface EntrySink {
  write(bytes: Buffer): Promise<void> | void;
  close(): Promise<void> | void;
}

/** Reads the entries from an archive's plain bytes, checking each one's SHA-256. */
export async function readEntries(
  path: string,
  frames: AsyncGenerator<Buffer>,
  visitor: EntryVisitor,
): Promise<void> {
  const reader = createPullReader(frames, path);
  let unclosed: EntrySink | undefined;
  try {
    for (;;) {
      const [type] = await reader.take(1);
      if (type === ENTRY_END) {
        await reader.expectEnd();
        return;
      }
      if (type !== ENTRY_FILE) throw archiveError(path, 'is damaged (unknown entry).');
      const nameLength = (await reader.take(2)).readUInt16BE(0);
      const name = (await reader.take(nameLength)).toString('utf8');
      const size = Number((await reader.take(8)).readBigUInt64BE(0));
      const sink = await visitor.open(name, size);
      unclosed = sink;
      const hash = createHash('sha256');
      let left = size;
      while (left > 0) {
        const part = await reader.takeUpTo(Math.min(left, READ_CHUNK));
        hash.update(part);
        await sink?.write(part);
        left -= part.length;
      }
      const expected = await reader.take(32);
      unclosed = undefined;
      await sink?.close();
      if (!hash.digest().equals(expected)) throw archiveError(path, `is damaged (${name} does not match).`);
      if (visitor.stopAfter?.(name) === true) return;
    }
  } finally {
    // A damaged entry leaves its file open: closed here, and removed by the caller.
    await Promise.resolve(unclosed?.close()).catch(() => undefined);
    await frames.return(undefined);
  }
}

function createPullReader(frames: AsyncGenerator<Buffer>, path: string) {
  let current: Buffer = Buffer.alloc(0);
  const fill = async (): Promise<void> => {
    const next = await frames.next();
    if (next.done === true) throw archiveError(path, 'is incomplete: its files stop before the end mark.');
    current = current.length === 0 ? next.value : Buffer.concat([current, next.value]);
  };
  return {
    async take(length: number): Promise<Buffer> {
      while (current.length < length) await fill();
      const out = current.subarray(0, length);
      current = current.subarray(length);
      return out;
    },
    async takeUpTo(length: number): Promise<Buffer> {
      while (current.length === 0) await fill();
      const out = current.subarray(0, Math.min(length, current.length));
      current = current.subarray(out.length);
      return out;
    },
    async expectEnd(): Promise<void> {
      if (current.length > 0) throw archiveError(path, 'is damaged (bytes after the end mark).');
      const next = await frames.next();
      if (next.done !== true && next.value.length > 0) {
        throw archiveError(path, 'is damaged (bytes after the end mark).');
      }
    },
  };
}
