import { createHash } from 'node:crypto';
import type { GraphClient } from './graph-client';

/** One message template of a WhatsApp Business Account (what the owner may send outside the window). */
export interface MessageTemplate {
  id: string;
  name: string;
  language: string;
  /** APPROVED, PENDING, REJECTED, PAUSED, ... */
  status: string;
  category: string | null;
  components: unknown[];
}

const MAX_TEMPLATE_PAGES = 10;

interface TemplatePage {
  data?: unknown[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** Every template of the WABA, page by page. */
export async function listTemplates(graph: GraphClient, wabaId: string): Promise<MessageTemplate[]> {
  const templates: MessageTemplate[] = [];
  let after: string | undefined;
  // Cursors, not `paging.next`: Meta's next URL carries the access token in its query string.
  for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
    const answer = await graph.get<TemplatePage>(`/${wabaId}/message_templates`, {
      fields: 'id,name,language,status,category,components',
      limit: '100',
      ...(after !== undefined && { after }),
    });
    for (const raw of answer.data ?? []) {
      const t = raw as Record<string, unknown>;
      if (typeof t.name !== 'string' || typeof t.language !== 'string') continue;
      templates.push({
        id: typeof t.id === 'string' ? t.id : '',
        name: t.name,
        language: t.language,
        status: typeof t.status === 'string' ? t.status : 'UNKNOWN',
        category: typeof t.category === 'string' ? t.category : null,
        components: Array.isArray(t.components) ? t.components : [],
      });
    }
    after = answer.paging?.cursors?.after;
    if (answer.paging?.next === undefined || after === undefined) break;
  }
  return templates;
}

/**
 * A customer's media: `GET /{media_id}` gives a short-lived URL, fetched with the same Bearer header
 * (webhook media ids expire after 7 days); the bytes are checked against the announced sha256.
 */
export async function downloadMedia(
  graph: GraphClient,
  mediaId: string,
): Promise<{ bytes: Buffer; mimeType: string | null }> {
  const meta = await graph.get<{ url?: string; mime_type?: string; sha256?: string }>(`/${mediaId}`);
  if (typeof meta.url !== 'string') throw new Error(`media ${mediaId} has no download URL`);
  const { bytes, contentType } = await graph.download(meta.url);
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (meta.sha256 !== undefined && meta.sha256 !== digest) {
    throw new Error(`media ${mediaId} does not match its sha256`);
  }
  return { bytes, mimeType: meta.mime_type ?? contentType };
}

/** Time for an upload: a large document over a slow shop connection takes far longer than a send. */
const UPLOAD_TIMEOUT_MS = 5 * 60_000;

/**
 * A file the business sends: `POST /{phone_number_id}/media` (multipart: the file, its type,
 * messaging_product) returns a media id that the message then names.
 */
export async function uploadMedia(
  graph: GraphClient,
  phoneNumberId: string,
  file: { data: Buffer; mime: string; fileName: string | null },
): Promise<string> {
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', file.mime);
  form.set('file', new Blob([file.data], { type: file.mime }), file.fileName ?? 'file');
  const answer = await graph.postForm<{ id?: unknown }>(`/${phoneNumberId}/media`, form, UPLOAD_TIMEOUT_MS);
  if (typeof answer.id !== 'string' || answer.id === '') throw new Error('the media upload returned no id');
  return answer.id;
}
