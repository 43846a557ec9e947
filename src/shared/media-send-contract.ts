import { z } from 'zod';
import { command } from './command-spec';
import { workspaceIdInput as workspaceId } from './contract-ids';
import type { Faq } from './dto';

/**
 * Files the owner sends (photos, documents, voice notes and audio): which types WhatsApp takes from
 * both providers, and the chunked upload that carries a file into the media store over IPC and HTTP
 * alike (the headless host takes at most 1 MB per request, so a file travels in pieces, which also
 * gives the screen its progress). Merged into the contract like the other parts; this file must not
 * import contract.ts (an import cycle).
 */
export const OUTBOUND_MEDIA_KINDS = ['image', 'voice', 'audio', 'document'] as const;
export type OutboundMediaKind = (typeof OUTBOUND_MEDIA_KINDS)[number];

const MB = 1024 * 1024;

/**
 * WhatsApp's own caps per kind (the Cloud API's published limits, which Baileys' numbers also meet):
 * a file over them is refused by WhatsApp, so it is refused here first, in words.
 */
export const WHATSAPP_MAX_BYTES: Record<OutboundMediaKind, number> = {
  image: 5 * MB,
  voice: 16 * MB,
  audio: 16 * MB,
  document: 100 * MB,
};

export interface SendableType {
  extensions: readonly string[];
  mime: string;
  kind: OutboundMediaKind;
  /** What the owner calls it. */
  label: string;
}

/** The types both providers can send; anything else is refused with this list in words. */
export const SENDABLE_TYPES: readonly SendableType[] = [
  { extensions: ['jpg', 'jpeg'], mime: 'image/jpeg', kind: 'image', label: 'JPEG photo' },
  { extensions: ['png'], mime: 'image/png', kind: 'image', label: 'PNG picture' },
  { extensions: ['pdf'], mime: 'application/pdf', kind: 'document', label: 'PDF' },
  { extensions: ['txt'], mime: 'text/plain', kind: 'document', label: 'text file' },
  { extensions: ['doc'], mime: 'application/msword', kind: 'document', label: 'Word document' },
  {
    extensions: ['docx'],
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    kind: 'document',
    label: 'Word document',
  },
  { extensions: ['xls'], mime: 'application/vnd.ms-excel', kind: 'document', label: 'Excel sheet' },
  {
    extensions: ['xlsx'],
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    kind: 'document',
    label: 'Excel sheet',
  },
  {
    extensions: ['ppt'],
    mime: 'application/vnd.ms-powerpoint',
    kind: 'document',
    label: 'PowerPoint file',
  },
  {
    extensions: ['pptx'],
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    kind: 'document',
    label: 'PowerPoint file',
  },
  // A voice note is opus in ogg, what WhatsApp records; it plays in the chat like one.
  { extensions: ['ogg', 'opus', 'oga'], mime: 'audio/ogg', kind: 'voice', label: 'voice note (OGG)' },
  { extensions: ['mp3'], mime: 'audio/mpeg', kind: 'audio', label: 'MP3 audio' },
  { extensions: ['m4a'], mime: 'audio/mp4', kind: 'audio', label: 'M4A audio' },
  { extensions: ['aac'], mime: 'audio/aac', kind: 'audio', label: 'AAC audio' },
  { extensions: ['amr'], mime: 'audio/amr', kind: 'audio', label: 'AMR audio' },
];

/** For the file picker's `accept`. */
export const SENDABLE_ACCEPT = SENDABLE_TYPES.flatMap((t) => [
  t.mime,
  ...t.extensions.map((e) => `.${e}`),
]).join(',');

const extensionOf = (fileName: string) => /\.([a-z0-9]{1,8})$/i.exec(fileName.trim())?.[1]?.toLowerCase();

/**
 * What a file is, from its name's extension first (what the owner sees) and its declared type second
 * (a pasted picture has no useful name); or why it cannot be sent, in words.
 */
export function sendableTypeOf(fileName: string, mime: string): SendableType | { error: string } {
  const ext = extensionOf(fileName);
  const declared = mime.split(';')[0]!.trim().toLowerCase();
  const byExt = ext === undefined ? undefined : SENDABLE_TYPES.find((t) => t.extensions.includes(ext));
  const found = byExt ?? SENDABLE_TYPES.find((t) => t.mime === declared);
  if (found !== undefined) return found;
  const what =
    ext !== undefined ? `a .${ext} file` : declared !== '' ? `a file of type ${declared}` : 'this file';
  return {
    error:
      `WhatsApp cannot take ${what} from Switchboard. You can send photos (JPEG, PNG), documents (PDF, ` +
      'Word, Excel, PowerPoint, text) and voice notes or audio (OGG, MP3, M4A, AAC, AMR).',
  };
}

export const formatMb = (bytes: number): string =>
  bytes >= MB
    ? `${(bytes / MB).toFixed(bytes >= 10 * MB ? 0 : 1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

const KIND_WORDS: Record<OutboundMediaKind, string> = {
  image: 'A photo',
  voice: 'A voice note',
  audio: 'Audio',
  document: 'A document',
};

/** Why a file of `size` bytes cannot go, or null; `workspaceCap` is the Settings' largest file. */
export function sizeProblem(kind: OutboundMediaKind, size: number, workspaceCap: number): string | null {
  if (size <= 0) return 'The file is empty (0 bytes): there is nothing to send. Pick the file again.';
  const whatsapp = WHATSAPP_MAX_BYTES[kind];
  if (size > whatsapp) {
    return (
      `${KIND_WORDS[kind]} can be at most ${formatMb(whatsapp)} on WhatsApp; this one is ${formatMb(size)}.` +
      (kind === 'image' ? ' Make it smaller, or send it as a PDF document.' : ' Make it smaller first.')
    );
  }
  if (size > workspaceCap) {
    return (
      `This file is ${formatMb(size)}, over this workspace's largest file (${formatMb(workspaceCap)}). ` +
      'Raise "Largest file" in Settings, or send a smaller file.'
    );
  }
  return null;
}

/** Raw bytes per chunk: base64 of it plus the JSON around it stays under the headless host's 1 MB. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
const MAX_CHUNK_BASE64 = Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4;

export interface UploadStarted {
  uploadId: string;
  kind: OutboundMediaKind;
  mime: string;
  chunkBytes: number;
}

/** A file whole in the media store, ready to be sent (or attached to an FAQ answer). */
export interface UploadedFile {
  uploadId: string;
  kind: OutboundMediaKind;
  mime: string;
  fileName: string;
  size: number;
  sha256: string;
}

/** The photo or document an FAQ's answer sends with its text (the price list, the menu). */
export interface FaqAttachment {
  faqId: string;
  kind: 'image' | 'document';
  mime: string;
  fileName: string;
  size: number;
}

/** An FAQ in the list, with the photo or document its answer sends (null when none). */
export type FaqListItem = Faq & { attachment: Pick<FaqAttachment, 'kind' | 'fileName'> | null };

const uploadId = z
  .string({ error: 'uploadId is required' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'uploadId must be the one uploadStart returned');

export const mediaSendCommands = {
  /** Announces a file: refused here (type, size, empty) before any byte travels. */
  'media.uploadStart': command<UploadStarted>()(
    z.strictObject({
      workspaceId,
      fileName: z
        .string({ error: 'fileName must be text' })
        .trim()
        .min(1, 'The file needs a name')
        .max(255, 'The file name is too long (at most 255 characters)'),
      mime: z.string().max(255).default(''),
      size: z
        .number({ error: 'size must be a number' })
        .int('size must be a whole number of bytes')
        .min(0)
        .max(Number.MAX_SAFE_INTEGER),
    }),
  ),
  /** One piece of the file at `offset`; a piece sent again after a lost answer is taken once. */
  'media.uploadChunk': command<{ received: number }>()(
    z.strictObject({
      workspaceId,
      uploadId,
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      data: z
        .string({ error: 'data must be base64 text' })
        .min(1, 'A piece of the file cannot be empty')
        .max(MAX_CHUNK_BASE64, `A piece of the file can be at most ${UPLOAD_CHUNK_BYTES} bytes`)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'data must be base64'),
    }),
  ),
  /** Every byte arrived: checked against the file's SHA-256 and its type, then kept in the media store. */
  'media.uploadFinish': command<UploadedFile>()(
    z.strictObject({
      workspaceId,
      uploadId,
      sha256: z
        .string({ error: 'sha256 is required' })
        .regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
    }),
  ),
  'media.uploadCancel': command<{ cancelled: boolean }>()(z.strictObject({ workspaceId, uploadId })),
  /**
   * The owner sends an uploaded file into a chat, with an optional caption (photos and documents; a
   * voice note cannot carry one on WhatsApp). It goes through the outbox like the bot's replies: it
   * survives a restart, goes once, and shows ticks and Retry.
   */
  'conversation.sendMedia': command<{ messageId: string; queued: true }>()(
    z.strictObject({
      workspaceId,
      chatId: z.string().trim().min(1, 'chatId is required').max(200, 'chatId is too long'),
      uploadId,
      caption: z
        .string({ error: 'caption must be text' })
        .max(1024, 'A caption can be at most 1,024 characters')
        .default(''),
    }),
  ),
  /** The FAQ's attachment, or null. */
  'faq.attachment': command<FaqAttachment | null>()(
    z.strictObject({ workspaceId, faqId: z.string().min(1).max(100) }),
  ),
  /** Attaches an uploaded photo or document to an FAQ's answer (replacing the one it had). */
  'faq.attach': command<FaqAttachment>()(
    z.strictObject({ workspaceId, faqId: z.string().min(1).max(100), uploadId }),
  ),
  'faq.detach': command<{ removed: boolean }>()(
    z.strictObject({ workspaceId, faqId: z.string().min(1).max(100) }),
  ),
};
