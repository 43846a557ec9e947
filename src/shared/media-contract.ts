import { z } from 'zod';
import { workspaceIdInput } from './contract-ids';
import { command } from './command-spec';

/**
 * Media in the inbox (photos, voice notes, documents...): what a thread shows of a message's file, and
 * the commands to open and to retry one. Merged into the contract like the sync and cloud commands.
 */
export const MEDIA_KINDS = [
  'image',
  'video',
  'voice',
  'audio',
  'document',
  'sticker',
  'location',
  'contact',
] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/**
 * `pending` waits for its download; `stored` is on disk; `failed` and `too-large` can be retried;
 * `deleted` was removed by the retention setting; `none` has no file (a location, a contact card).
 */
export type MediaState = 'pending' | 'stored' | 'failed' | 'too-large' | 'deleted' | 'none';

export interface ThreadMedia {
  kind: MediaKind;
  mime: string | null;
  /** Bytes, as the sender declared them until the file is stored. */
  size: number | null;
  fileName: string | null;
  caption: string | null;
  /** Voice notes, audio and video. */
  durationSeconds: number | null;
  /** A small JPEG the sender attached (images, video), as a data: URL. */
  thumbnail: string | null;
  state: MediaState;
  /** Why it is not stored, in the owner's words. */
  error: string | null;
  location: { latitude: number; longitude: number; name: string | null; address: string | null } | null;
  contact: { name: string; phone: string | null } | null;
}

export interface MediaFile {
  mime: string;
  fileName: string | null;
  /** The file, base64. */
  data: string;
}

const mediaRef = {
  workspaceId: workspaceIdInput,
  messageId: z.string().min(1, 'messageId is required').max(64),
};

export const mediaCommands = {
  /** The stored file of a message, for the thread to show, play or save. */
  'media.read': command<MediaFile>()(z.strictObject(mediaRef)),
  /**
   * Desktop only (the shell gives the core its way of opening files): opens a document with the
   * operating system's app for it, after the owner clicked Open, never by itself. The browser saves
   * the file instead.
   */
  'media.open': command<{ opened: true }>()(z.strictObject(mediaRef)),
  /** Downloads a failed or too-large file again; the thread follows its state. */
  'media.retry': command<{ state: MediaState }>()(z.strictObject(mediaRef)),
};

const wholeNumber = (label: string, min: number, max: number, unit: string) =>
  z
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min} ${unit}`)
    .max(max, `${label} can be at most ${max.toLocaleString('en')} ${unit}`);

/** The Settings patch of media: caps and retention (settings.ts keeps the stored shape and defaults). */
export const mediaSettingsPatch = z
  .strictObject({
    maxFileMb: wholeNumber('Largest file', 1, 2048, 'MB'),
    maxWorkspaceMb: wholeNumber('Space for files', 10, 1_000_000, 'MB'),
    retentionDays: wholeNumber('Keep files for', 0, 3650, 'days'),
  })
  .partial();
