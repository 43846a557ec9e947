// Opens a customer's document with the operating system's app for it, only when the owner clicked
// Open in the thread: the file is written to a private folder of its own under the system's temp
// folder, with a cleaned-up name (never a path the sender chose), and handed to the shell's opener
// (Electron's shell.openPath on the desktop; the headless host has none and the browser downloads).
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaFile } from '../../shared/media-contract';

/** Opens a file with its app; resolves with '' or the reason it could not (Electron's convention). */
export type OpenFile = (path: string) => Promise<string>;

/** A file name safe on every OS: no folders, no control or reserved characters, a sane length. */
export function safeFileName(name: string | null, mime: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  if (cleaned !== '') return cleaned;
  const extension =
    mime
      .split('/')[1]
      ?.split(/[;+]/)[0]
      ?.replace(/[^a-z0-9]/gi, '') ?? '';
  return `file.${extension === '' ? 'bin' : extension}`;
}

/** Writes the file where only this user can read it and opens it; returns the reason on failure. */
export async function openMediaFile(file: MediaFile, open: OpenFile): Promise<string> {
  const folder = join(tmpdir(), 'switchboard-open', randomBytes(8).toString('hex'));
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, safeFileName(file.fileName, file.mime));
  await writeFile(path, Buffer.from(file.data, 'base64'), { mode: 0o600 });
  return open(path);
}
