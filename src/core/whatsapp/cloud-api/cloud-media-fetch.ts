import { MediaError } from '../../media/media-error';
import { GraphApiError, type GraphClient } from './graph-client';
import { downloadMedia } from './templates-and-media';

/** A customer's file by its webhook media id (expires after 7 days: then 'expired', no renewal). */
export async function fetchCloudMedia(
  graph: GraphClient,
  ref: string,
  limits: { maxBytes: number },
): Promise<{ data: Buffer }> {
  let id: unknown;
  try {
    id = (JSON.parse(ref) as { id?: unknown }).id;
  } catch {
    id = undefined;
  }
  if (typeof id !== 'string' || id === '')
    throw new MediaError('failed', 'The stored media id is unreadable.');
  let bytes: Buffer;
  try {
    ({ bytes } = await downloadMedia(graph, id));
  } catch (error) {
    if (error instanceof GraphApiError && (error.info.httpStatus === 404 || error.info.httpStatus === 410)) {
      throw new MediaError('expired', 'Meta no longer has this file (media ids expire after 7 days).');
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new MediaError(/sha256/.test(why) ? 'corrupt' : 'failed', `Could not download the file: ${why}`);
  }
  if (bytes.length > limits.maxBytes) {
    throw new MediaError(
      'too-large',
      `The file is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit.`,
    );
  }
  return { data: bytes };
}
