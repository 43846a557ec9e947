// POST /{version}/{phone_number_id}/media: a multipart form with `messaging_product`, `type` (the
// MIME type) and `file`, checked the way Meta checks it (supported types and their size caps), and
// answered with a media id a message can then name.
import type { IncomingMessage } from 'node:http';
import { graphError, type GraphErrorAnswer } from './graph-errors';
import { sha256Hex } from './customer';

const MB = 1024 * 1024;

/** Meta's supported media types and their caps (Cloud API "Supported media types"). */
const LIMITS: Record<string, number> = {
  'image/jpeg': 5 * MB,
  'image/png': 5 * MB,
  'audio/aac': 16 * MB,
  'audio/amr': 16 * MB,
  'audio/mpeg': 16 * MB,
  'audio/mp4': 16 * MB,
  'audio/ogg': 16 * MB,
  'video/mp4': 16 * MB,
  'video/3gpp': 16 * MB,
  'image/webp': 500 * 1024,
  'text/plain': 100 * MB,
  'application/pdf': 100 * MB,
  'application/msword': 100 * MB,
  'application/vnd.ms-excel': 100 * MB,
  'application/vnd.ms-powerpoint': 100 * MB,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * MB,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * MB,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * MB,
};

export interface UploadedMedia {
  id: string;
  phoneNumberId: string;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
  fileName: string | null;
}

export async function receiveUpload(
  req: IncomingMessage,
  body: Buffer,
): Promise<Omit<UploadedMedia, 'id' | 'phoneNumberId'> | { error: GraphErrorAnswer }> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data;/i.test(contentType)) {
    return { error: graphError(100, { details: 'The upload must be multipart/form-data' }) };
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { error: graphError(100, { details: 'The multipart body could not be read' }) };
  }
  if (form.get('messaging_product') !== 'whatsapp') {
    return { error: graphError(100, { details: 'The parameter messaging_product is required.' }) };
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') {
    return { error: graphError(100, { details: 'The parameter file is required.' }) };
  }
  const declared = form.get('type');
  const mimeType = (typeof declared === 'string' && declared !== '' ? declared : file.type)
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const limit = LIMITS[mimeType];
  if (limit === undefined) {
    return { error: graphError(131053, { details: `Unsupported file type ${mimeType || '(none)'}` }) };
  }
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.length === 0) return { error: graphError(131053, { details: 'The file is empty' }) };
  if (bytes.length > limit) {
    return {
      error: graphError(131053, {
        details: `${mimeType} files can be at most ${limit} bytes; got ${bytes.length}`,
      }),
    };
  }
  return { bytes, mimeType, sha256: sha256Hex(bytes), fileName: file.name === '' ? null : file.name };
}
