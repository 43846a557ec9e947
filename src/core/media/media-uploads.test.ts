// Bad input to the owner's upload: each is refused with a sentence that says what to do, nothing is
// left behind in tmp/, and nothing half-written ever sits in the media store.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { UPLOAD_CHUNK_BYTES } from '../../shared/media-send-contract';
import { makeTempDir } from '../testing/temp-files';
import { createMediaFiles, type MediaFiles } from './media-files';
import { createMediaUploads, type MediaUploads } from './media-uploads';

const WS = 'ws-a' as WorkspaceId;
const OTHER = 'ws-b' as WorkspaceId;
const MB = 1024 * 1024;
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.alloc(UPLOAD_CHUNK_BYTES + 500, 9),
]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function setup(maxFileMb = 64): { uploads: MediaUploads; files: MediaFiles; clock: { t: number } } {
  const { dir, cleanup } = makeTempDir('switchboard-uploads-');
  cleanups.push(cleanup);
  const files = createMediaFiles(dir);
  const clock = { t: 1_000 };
  const uploads = createMediaUploads({
    files,
    now: () => clock.t,
    maxFileBytes: () => Promise.resolve(maxFileMb * MB),
    idleMs: 60_000,
  });
  return { uploads, files, clock };
}

async function sendAll(uploads: MediaUploads, uploadId: string, data: Buffer, from = 0): Promise<void> {
  for (let offset = from; offset < data.length; offset += UPLOAD_CHUNK_BYTES) {
    await uploads.append(
      WS,
      uploadId,
      offset,
      data.subarray(offset, offset + UPLOAD_CHUNK_BYTES).toString('base64'),
    );
  }
}

const tmpFiles = (files: MediaFiles) => readdirSync(files.tmp);

describe('the owner’s uploads', () => {
  it('takes a photo in pieces, a piece sent twice once, and keeps it under its SHA-256', async () => {
    const { uploads, files } = setup();
    const started = await uploads.start(WS, { fileName: 'Menu.JPG', mime: '', size: JPEG.length });
    expect(started).toMatchObject({ kind: 'image', mime: 'image/jpeg', chunkBytes: UPLOAD_CHUNK_BYTES });
    const first = JPEG.subarray(0, UPLOAD_CHUNK_BYTES).toString('base64');
    expect(await uploads.append(WS, started.uploadId, 0, first)).toBe(UPLOAD_CHUNK_BYTES);
    // The answer to the first piece was lost and the screen sends it again: taken once.
    expect(await uploads.append(WS, started.uploadId, 0, first)).toBe(UPLOAD_CHUNK_BYTES);
    await sendAll(uploads, started.uploadId, JPEG, UPLOAD_CHUNK_BYTES);
    const done = await uploads.finish(WS, started.uploadId, sha(JPEG));
    expect(done).toMatchObject({ kind: 'image', size: JPEG.length, sha256: sha(JPEG), fileName: 'Menu.JPG' });
    expect(await files.read(sha(JPEG))).toEqual(JPEG);
    expect(tmpFiles(files)).toEqual([]);
    expect(uploads.take(WS, started.uploadId).sha256).toBe(sha(JPEG));
    expect(() => uploads.take(WS, started.uploadId)).toThrow(/not known.*Send the file again/);
  });

  it('refuses an unknown type, an empty file and a file too large, before any byte travels', async () => {
    const { uploads, files } = setup(2);
    await expect(
      uploads.start(WS, { fileName: 'setup.exe', mime: 'application/x-msdownload', size: 10 }),
    ).rejects.toThrow(
      'WhatsApp cannot take a .exe file from Switchboard. You can send photos (JPEG, PNG), documents (PDF, Word, Excel, PowerPoint, text) and voice notes or audio (OGG, MP3, M4A, AAC, AMR).',
    );
    await expect(uploads.start(WS, { fileName: 'paste', mime: 'image/heic', size: 10 })).rejects.toThrow(
      /cannot take a file of type image\/heic/,
    );
    await expect(
      uploads.start(WS, { fileName: 'receipt.pdf', mime: 'application/pdf', size: 0 }),
    ).rejects.toThrow('The file is empty (0 bytes): there is nothing to send. Pick the file again.');
    await expect(
      uploads.start(WS, { fileName: 'shop.png', mime: 'image/png', size: 6 * MB }),
    ).rejects.toThrow(
      'A photo can be at most 5.0 MB on WhatsApp; this one is 6.0 MB. Make it smaller, or send it as a PDF document.',
    );
    await expect(uploads.start(WS, { fileName: 'catalogue.pdf', mime: '', size: 3 * MB })).rejects.toThrow(
      `This file is 3.0 MB, over this workspace's largest file (2.0 MB). Raise "Largest file" in Settings, or send a smaller file.`,
    );
    expect(tmpFiles(files)).toEqual([]);
  });

  it('an interrupted upload says how much arrived, then finishes when the rest comes', async () => {
    const { uploads } = setup();
    const { uploadId } = await uploads.start(WS, {
      fileName: 'a.jpg',
      mime: 'image/jpeg',
      size: JPEG.length,
    });
    await uploads.append(WS, uploadId, 0, JPEG.subarray(0, UPLOAD_CHUNK_BYTES).toString('base64'));
    await expect(uploads.finish(WS, uploadId, sha(JPEG))).rejects.toThrow(
      'The upload is incomplete: 524,288 of 524,792 bytes arrived. Send the rest, or send the file again.',
    );
    // A piece skipped: refused, in words; the upload stays as it was.
    await expect(
      uploads.append(WS, uploadId, UPLOAD_CHUNK_BYTES + 10, Buffer.from('xx').toString('base64')),
    ).rejects.toThrow(
      `A piece of the file is missing: the next one must start at byte ${UPLOAD_CHUNK_BYTES}`,
    );
    await sendAll(uploads, uploadId, JPEG, UPLOAD_CHUNK_BYTES);
    expect((await uploads.finish(WS, uploadId, sha(JPEG))).size).toBe(JPEG.length);
  });

  it('refuses a damaged file, a file that is not what its name says, and one that grew; keeps none', async () => {
    const { uploads, files } = setup();
    const a = await uploads.start(WS, { fileName: 'a.jpg', mime: 'image/jpeg', size: JPEG.length });
    await sendAll(uploads, a.uploadId, JPEG);
    await expect(uploads.finish(WS, a.uploadId, sha(Buffer.from('other')))).rejects.toThrow(
      'The file arrived damaged (its checksum does not match what was sent). Send it again.',
    );
    const pdf = Buffer.from('%PDF-1.4 price list');
    const b = await uploads.start(WS, { fileName: 'photo.jpg', mime: 'image/jpeg', size: pdf.length });
    await sendAll(uploads, b.uploadId, pdf);
    await expect(uploads.finish(WS, b.uploadId, sha(pdf))).rejects.toThrow(
      '"photo.jpg" is not really a JPEG photo: its contents are something else.',
    );
    const c = await uploads.start(WS, { fileName: 'c.pdf', mime: '', size: 4 });
    await expect(uploads.append(WS, c.uploadId, 0, pdf.toString('base64'))).rejects.toThrow(
      /bigger than announced/,
    );
    expect(tmpFiles(files)).toEqual([]);
    expect(await files.has(sha(pdf))).toBe(false);
    expect(await files.has(sha(JPEG))).toBe(false);
  });

  it('forgets an upload gone quiet, and never lets another workspace touch one', async () => {
    const { uploads, files, clock } = setup();
    const { uploadId } = await uploads.start(WS, {
      fileName: 'a.jpg',
      mime: 'image/jpeg',
      size: JPEG.length,
    });
    await expect(uploads.append(OTHER, uploadId, 0, 'AAAA')).rejects.toThrow(/not known/);
    expect(await uploads.cancel(OTHER, uploadId)).toBe(false);
    clock.t += 61_000;
    expect(await uploads.sweep()).toBe(1);
    await expect(uploads.append(WS, uploadId, 0, 'AAAA')).rejects.toThrow(
      'That upload is not known: it waited too long without news, was cancelled, or the app restarted. Send the file again.',
    );
    expect(tmpFiles(files)).toEqual([]);
  });
});
