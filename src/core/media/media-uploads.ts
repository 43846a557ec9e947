// Files the owner sends arrive in pieces (IPC and the headless host's HTTP alike), written in order
// into media/tmp/ while their SHA-256 is computed. A file is checked before the first byte (type,
// size, empty), after the last (every byte there, the hash the screen computed, the first bytes fit
// the type), and only then moved into the media store under its hash. An upload that goes quiet
// (the window closed, the network dropped) is thrown away after `idleMs`; a restart empties tmp/.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  formatMb,
  sendableTypeOf,
  sizeProblem,
  UPLOAD_CHUNK_BYTES,
  type SendableType,
  type UploadedFile,
  type UploadStarted,
} from '../../shared/media-send-contract';
import type { WorkspaceId } from '../../shared/types';
import { SwitchboardError } from '../errors';
import { matchesType, SIGNATURE_BYTES } from './file-signature';
import type { MediaFiles } from './media-files';

export interface MediaUploadsDeps {
  files: MediaFiles;
  now(): number;
  /** The workspace's largest file in bytes (Settings > media). */
  maxFileBytes(workspaceId: WorkspaceId): Promise<number>;
  /** Quiet this long, an unfinished upload is dropped (default 30 min). */
  idleMs?: number;
}

export interface MediaUploads {
  start(
    workspaceId: WorkspaceId,
    file: { fileName: string; mime: string; size: number },
  ): Promise<UploadStarted>;
  append(workspaceId: WorkspaceId, uploadId: string, offset: number, base64: string): Promise<number>;
  finish(workspaceId: WorkspaceId, uploadId: string, sha256: string): Promise<UploadedFile>;
  cancel(workspaceId: WorkspaceId, uploadId: string): Promise<boolean>;
  /** A finished upload, handed over once (a second send of the same upload is refused). */
  take(workspaceId: WorkspaceId, uploadId: string): UploadedFile;
  /** Puts a taken upload back (the send it was taken for did not happen). */
  giveBack(workspaceId: WorkspaceId, file: UploadedFile): void;
  /** Drops uploads quiet for longer than idleMs; returns how many. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

interface Upload {
  id: string;
  workspaceId: WorkspaceId;
  fileName: string;
  type: SendableType;
  size: number;
  received: number;
  path: string;
  handle: FileHandle | null;
  hash: Hash;
  touchedAt: number;
  /** Pieces are written one after another, whatever order their requests finish in. */
  chain: Promise<unknown>;
  done: UploadedFile | null;
}

const GONE =
  'That upload is not known: it waited too long without news, was cancelled, or the app restarted. ' +
  'Send the file again.';

/** "1.2 MB of 3.0 MB", or exact bytes where rounding would make the two look the same. */
function amounts(received: number, size: number): string {
  const [a, b] = [formatMb(received), formatMb(size)];
  return a === b ? `${received.toLocaleString('en')} of ${size.toLocaleString('en')} bytes` : `${a} of ${b}`;
}

/** Throws the refusal after the upload is thrown away (`inChain`: from a write of the upload itself). */
type Refuse = (
  upload: Upload,
  message: string,
  details?: Record<string, unknown>,
  inChain?: boolean,
) => Promise<SwitchboardError>;

export function createMediaUploads(deps: MediaUploadsDeps): MediaUploads {
  const idleMs = deps.idleMs ?? 30 * 60_000;
  const uploads = new Map<string, Upload>();
  let stopped = false;

  const find = (workspaceId: WorkspaceId, uploadId: string): Upload => {
    const upload = uploads.get(uploadId);
    // Another workspace's upload is as unknown as a missing one.
    if (upload?.workspaceId !== workspaceId) throw new SwitchboardError('NOT_FOUND', GONE, { uploadId });
    return upload;
  };

  /** `inChain`: called from a write of the upload itself, which must not wait for itself. */
  async function discard(upload: Upload, inChain = false): Promise<void> {
    uploads.delete(upload.id);
    if (!inChain) await upload.chain.catch(() => undefined);
    await upload.handle?.close().catch(() => undefined);
    upload.handle = null;
    if (upload.done === null) await rm(upload.path, { force: true });
  }

  const refuse: Refuse = async (upload, message, details = {}, inChain = false) => {
    await discard(upload, inChain);
    return new SwitchboardError('VALIDATION', message, { uploadId: upload.id, ...details });
  };

  async function sweep(): Promise<number> {
    const before = deps.now() - idleMs;
    const quiet = [...uploads.values()].filter((u) => u.touchedAt < before);
    for (const upload of quiet) await discard(upload);
    return quiet.length;
  }

  return {
    async start(workspaceId, file) {
      if (stopped)
        throw new SwitchboardError('UNAVAILABLE', 'Switchboard is closing; send the file after it restarts.');
      await sweep();
      const upload = await openUpload(deps, workspaceId, file);
      uploads.set(upload.id, upload);
      const { type } = upload;
      return { uploadId: upload.id, kind: type.kind, mime: type.mime, chunkBytes: UPLOAD_CHUNK_BYTES };
    },

    async append(workspaceId, uploadId, offset, base64) {
      const upload = find(workspaceId, uploadId);
      const write = () => writePiece(deps, upload, offset, base64, refuse);
      const next = upload.chain.then(write, write);
      upload.chain = next.catch(() => undefined);
      return next;
    },

    async finish(workspaceId, uploadId, sha256) {
      const upload = find(workspaceId, uploadId);
      await upload.chain;
      return completeUpload(deps, upload, sha256, refuse);
    },

    async cancel(workspaceId, uploadId) {
      const upload = uploads.get(uploadId);
      if (upload?.workspaceId !== workspaceId) return false;
      await discard(upload);
      return true;
    },

    take(workspaceId, uploadId) {
      const upload = find(workspaceId, uploadId);
      if (upload.done === null) {
        throw new SwitchboardError(
          'VALIDATION',
          'The file has not finished uploading yet; wait for it, then send.',
          { uploadId, reason: 'INCOMPLETE' },
        );
      }
      uploads.delete(uploadId);
      return upload.done;
    },

    giveBack(workspaceId, file) {
      uploads.set(file.uploadId, takenBack(workspaceId, file, deps.now()));
    },

    sweep,

    async stop() {
      stopped = true;
      for (const upload of [...uploads.values()]) await discard(upload);
    },
  };
}

/** A finished upload put back after a send that did not happen: handed over again by `take`. */
function takenBack(workspaceId: WorkspaceId, file: UploadedFile, now: number): Upload {
  return {
    id: file.uploadId,
    workspaceId,
    fileName: file.fileName,
    type: { extensions: [], mime: file.mime, kind: file.kind, label: file.kind },
    size: file.size,
    received: file.size,
    path: '',
    handle: null,
    hash: createHash('sha256'),
    touchedAt: now,
    chain: Promise.resolve(),
    done: file,
  };
}

/** Checked before the first byte (type, size, empty), then an empty file in tmp/ to write into. */
async function openUpload(
  deps: MediaUploadsDeps,
  workspaceId: WorkspaceId,
  file: { fileName: string; mime: string; size: number },
): Promise<Upload> {
  const type = sendableTypeOf(file.fileName, file.mime);
  if ('error' in type) throw new SwitchboardError('VALIDATION', type.error, { reason: 'UNSUPPORTED_TYPE' });
  const problem = sizeProblem(type.kind, file.size, await deps.maxFileBytes(workspaceId));
  if (problem !== null) {
    throw new SwitchboardError('VALIDATION', problem, {
      reason: file.size <= 0 ? 'EMPTY_FILE' : 'TOO_LARGE',
      size: file.size,
    });
  }
  const id = randomBytes(12).toString('base64url');
  const path = join(deps.files.tmp, `upload-${id}`);
  const handle = await open(path, 'wx+', 0o600);
  return {
    id,
    workspaceId,
    fileName: file.fileName,
    type,
    size: file.size,
    received: 0,
    path,
    handle,
    hash: createHash('sha256'),
    touchedAt: deps.now(),
    chain: Promise.resolve(),
    done: null,
  };
}

/** Writes one piece where it belongs; returns the bytes received so far. */
async function writePiece(
  deps: MediaUploadsDeps,
  upload: Upload,
  offset: number,
  base64: string,
  refuse: Refuse,
): Promise<number> {
  const uploadId = upload.id;
  const data = Buffer.from(base64, 'base64');
  upload.touchedAt = deps.now();
  if (upload.done !== null || offset + data.length <= upload.received) {
    // A piece sent again because its answer was lost: it is here already.
    return upload.received;
  }
  if (offset !== upload.received) {
    throw new SwitchboardError(
      'VALIDATION',
      `A piece of the file is missing: the next one must start at byte ${upload.received}, not ${offset}.`,
      { uploadId, received: upload.received, reason: 'OUT_OF_ORDER' },
    );
  }
  if (upload.received + data.length > upload.size) {
    throw await refuse(
      upload,
      `The file is bigger than announced (${formatMb(upload.size)}): it changed while it was being sent. ` +
        'Pick it again.',
      { reason: 'SIZE_MISMATCH' },
      true,
    );
  }
  if (upload.handle === null) throw new SwitchboardError('NOT_FOUND', GONE, { uploadId });
  await upload.handle.write(data, 0, data.length, offset);
  upload.hash.update(data);
  upload.received += data.length;
  return upload.received;
}

/** Checked after the last byte (all there, the hash, the first bytes fit the type), then stored. */
async function completeUpload(
  deps: MediaUploadsDeps,
  upload: Upload,
  sha256: string,
  refuse: Refuse,
): Promise<UploadedFile> {
  const uploadId = upload.id;
  if (upload.done !== null) {
    if (upload.done.sha256 === sha256) return upload.done;
    throw new SwitchboardError('CONFLICT', 'That upload already finished with another file.', {
      uploadId,
    });
  }
  if (upload.received < upload.size) {
    throw new SwitchboardError(
      'VALIDATION',
      `The upload is incomplete: ${amounts(upload.received, upload.size)} arrived. ` +
        'Send the rest, or send the file again.',
      { uploadId, received: upload.received, size: upload.size, reason: 'INCOMPLETE' },
    );
  }
  const digest = upload.hash.digest('hex');
  if (digest !== sha256) {
    throw await refuse(
      upload,
      'The file arrived damaged (its checksum does not match what was sent). Send it again.',
      { reason: 'CHECKSUM' },
    );
  }
  const handle = upload.handle!;
  const head = Buffer.alloc(Math.min(SIGNATURE_BYTES, upload.size));
  await handle.read(head, 0, head.length, 0);
  if (!matchesType(upload.type.mime, head)) {
    throw await refuse(
      upload,
      `"${upload.fileName}" is not really a ${upload.type.label}: its contents are something else. ` +
        'Save it again in that format, or pick the right file.',
      { reason: 'CONTENT_MISMATCH' },
    );
  }
  await handle.sync();
  await handle.close();
  upload.handle = null;
  await deps.files.adopt(upload.path, digest);
  upload.done = {
    uploadId,
    kind: upload.type.kind,
    mime: upload.type.mime,
    fileName: upload.fileName,
    size: upload.size,
    sha256: digest,
  };
  upload.touchedAt = deps.now();
  return upload.done;
}
