import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { SwitchboardError } from '../errors';

/**
 * The encrypted archive every backup and move is written in:
 *
 *   "SWBK" | version (1 byte) | header length (u32 BE) | header JSON
 *   frames: flags+length (u32 BE: top bit = last frame) | AES-256-GCM ciphertext | tag (16 bytes)
 *
 * Each frame holds at most 256 KiB of plain text, so writing and reading stream through memory. A frame's
 * nonce is its index, and its additional data binds the index, the last-frame flag and a hash of the
 * header: frames cannot be reordered, dropped, swapped between archives or the header changed, and an
 * archive cut off at a frame boundary has no last frame, which reading reports as incomplete. The file
 * key is derived per archive (HKDF over a random salt), so nonces never repeat under one key.
 */

const MAGIC = Buffer.from('SWBK');
const VERSION = 1;
/** Plain bytes per frame: small enough that encrypting one is a short turn of the event loop. */
export const FRAME_BYTES = 256 * 1024;
/** What a reader accepts (frames up to 1 MiB stay readable). */
const MAX_FRAME_BYTES = 1024 * 1024;
const TAG_BYTES = 16;
const LAST_FRAME = 0x8000_0000;
const MAX_HEADER_BYTES = 64 * 1024;

/** How the archive's key is found again: the owner's passphrase, or this computer's key store. */
export type ArchiveKeySource =
  | { source: 'passphrase'; kdf: 'scrypt'; salt: string; N: number; r: number; p: number }
  | { source: 'machine'; sealedKey: string };

export interface ArchiveHeader {
  format: 'switchboard-archive';
  /** 'backup': the database and media; 'move': everything, for another computer. */
  kind: 'backup' | 'move';
  createdAt: number;
  key: ArchiveKeySource;
  fileSalt: string;
}

export function archiveError(path: string, what: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(
    'BACKUP_FAILED',
    `The backup ${path} ${what}`,
    { path },
    cause === undefined ? undefined : { cause },
  );
}

function fileKey(masterKey: Buffer, header: ArchiveHeader): Buffer {
  return Buffer.from(
    hkdfSync('sha256', masterKey, Buffer.from(header.fileSalt, 'base64'), 'switchboard.archive.v1', 32),
  );
}

function frameAad(headerHash: Buffer, index: number, last: boolean): Buffer {
  const aad = Buffer.alloc(headerHash.length + 9);
  headerHash.copy(aad);
  aad.writeBigUInt64BE(BigInt(index), headerHash.length);
  aad[headerHash.length + 8] = last ? 1 : 0;
  return aad;
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

/** Writes plain bytes into an archive file, a frame at a time; `finish` writes the last frame and fsyncs. */
export interface ArchiveWriter {
  write(bytes: Buffer): Promise<void>;
  finish(): Promise<void>;
  /** Closes the file without a last frame (the caller deletes it). */
  abort(): Promise<void>;
}

export async function createArchiveWriter(
  path: string,
  header: Omit<ArchiveHeader, 'format' | 'fileSalt'>,
  masterKey: Buffer,
): Promise<ArchiveWriter> {
  const full: ArchiveHeader = {
    format: 'switchboard-archive',
    ...header,
    fileSalt: randomBytes(16).toString('base64'),
  };
  const headerBytes = Buffer.from(JSON.stringify(full));
  const headerHash = createHash('sha256').update(headerBytes).digest();
  const key = fileKey(masterKey, full);
  const handle = await open(path, 'wx', 0o600);
  const prefix = Buffer.alloc(9);
  MAGIC.copy(prefix);
  prefix[4] = VERSION;
  prefix.writeUInt32BE(headerBytes.length, 5);
  await handle.write(Buffer.concat([prefix, headerBytes]));

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  const writeFrame = async (plain: Buffer, last: boolean) => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(index));
    cipher.setAAD(frameAad(headerHash, index, last));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const lengthField = Buffer.alloc(4);
    lengthField.writeUInt32BE((plain.length | (last ? LAST_FRAME : 0)) >>> 0);
    await handle.write(Buffer.concat([lengthField, body, cipher.getAuthTag()]));
    index++;
  };
  const takeFrame = (): Buffer => {
    const all = Buffer.concat(pending);
    const frame = all.subarray(0, FRAME_BYTES);
    const rest = all.subarray(FRAME_BYTES);
    pending = rest.length > 0 ? [rest] : [];
    pendingBytes = rest.length;
    return frame;
  };
  return {
    async write(bytes) {
      pending.push(bytes);
      pendingBytes += bytes.length;
      // Keep one full frame back: the last frame must carry the flag, and only finish() knows which it is.
      while (pendingBytes > FRAME_BYTES) await writeFrame(takeFrame(), false);
    },
    async finish() {
      while (pendingBytes > FRAME_BYTES) await writeFrame(takeFrame(), false);
      await writeFrame(Buffer.concat(pending), true);
      pending = [];
      await handle.sync();
      await handle.close();
    },
    async abort() {
      await handle.close().catch(() => undefined);
    },
  };
}

/** Reads an archive's header without its key (to know which key it needs). */
export async function readArchiveHeader(path: string): Promise<ArchiveHeader> {
  const handle = await openArchive(path);
  try {
    return (await readHeader(handle, path)).header;
  } finally {
    await handle.close();
  }
}

async function openArchive(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw new SwitchboardError(
      'NOT_FOUND',
      `There is no backup file at ${path}.`,
      { path },
      { cause: error },
    );
  }
}

async function readExactly(handle: FileHandle, length: number, position: number): Promise<Buffer | null> {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) return got === 0 ? null : buffer.subarray(0, got);
    got += bytesRead;
  }
  return buffer;
}

async function readHeader(
  handle: FileHandle,
  path: string,
): Promise<{ header: ArchiveHeader; headerHash: Buffer; offset: number }> {
  const prefix = await readExactly(handle, 9, 0);
  if (prefix === null || prefix.length < 9 || !prefix.subarray(0, 4).equals(MAGIC)) {
    throw archiveError(path, 'is not a Switchboard backup.');
  }
  if (prefix[4] !== VERSION) {
    throw archiveError(path, 'was made by a newer version of Switchboard; install that version to open it.');
  }
  const length = prefix.readUInt32BE(5);
  const headerBytes = length <= MAX_HEADER_BYTES ? await readExactly(handle, length, 9) : null;
  if (headerBytes === null || headerBytes.length < length) throw archiveError(path, 'is damaged (header).');
  let header: ArchiveHeader;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as ArchiveHeader;
  } catch (error) {
    throw archiveError(path, 'is damaged (header).', error);
  }
  if (header.format !== 'switchboard-archive' || typeof header.fileSalt !== 'string') {
    throw archiveError(path, 'is damaged (header).');
  }
  return {
    header,
    headerHash: createHash('sha256').update(headerBytes).digest(),
    offset: 9 + length,
  };
}

/**
 * The archive's plain bytes, a frame at a time, each authenticated before it is handed out. Throws when
 * the key is wrong, a byte was changed, or the archive ends before its last frame.
 */
export async function* readArchiveFrames(path: string, masterKey: Buffer): AsyncGenerator<Buffer> {
  const handle = await openArchive(path);
  try {
    const { header, headerHash, offset } = await readHeader(handle, path);
    const key = fileKey(masterKey, header);
    let position = offset;
    for (let index = 0; ; index++) {
      const lengthField = await readExactly(handle, 4, position);
      if (lengthField === null || lengthField.length < 4) {
        throw archiveError(path, 'is incomplete: it was cut off before its end. Use an older backup.');
      }
      const raw = lengthField.readUInt32BE(0);
      const last = (raw & LAST_FRAME) !== 0;
      const length = raw & ~LAST_FRAME;
      if (length > MAX_FRAME_BYTES) throw archiveError(path, 'is damaged (frame length).');
      const body = await readExactly(handle, length + TAG_BYTES, position + 4);
      if (body === null || body.length < length + TAG_BYTES) {
        throw archiveError(path, 'is incomplete: it was cut off before its end. Use an older backup.');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, nonce(index));
      decipher.setAAD(frameAad(headerHash, index, last));
      decipher.setAuthTag(body.subarray(length));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(body.subarray(0, length)), decipher.final()]);
      } catch (error) {
        throw index === 0
          ? archiveError(path, 'cannot be opened with this key: check the passphrase.', error)
          : archiveError(path, 'is damaged: a part of it was changed.', error);
      }
      position += 4 + length + TAG_BYTES;
      yield plain;
      if (last) {
        if ((await readExactly(handle, 1, position)) !== null) {
          throw archiveError(path, 'is damaged: there are bytes after its end.');
        }
        return;
      }
    }
  } finally {
    await handle.close();
  }
}
