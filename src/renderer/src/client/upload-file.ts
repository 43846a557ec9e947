import type { UploadedFile } from '../../../shared/media-send-contract';
import { CommandError, type SwitchboardClient } from './client';

/** Tries per piece before the upload is called interrupted (a dropped connection, a restarted host). */
const TRIES = 3;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode with a whole piece's bytes as arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * Sends a file into the media store in pieces (the same commands over IPC and HTTP), reporting
 * progress after each piece. A piece whose request failed is sent again (the core takes a repeated
 * piece once); after three failures the upload stops with a sentence saying so. `signal` cancels it.
 */
export async function uploadFile(
  client: SwitchboardClient,
  workspaceId: string,
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal: AbortSignal,
): Promise<UploadedFile> {
  const started = await client.invoke('media.uploadStart', {
    workspaceId,
    fileName: file.name,
    mime: file.type,
    size: file.size,
  });
  const cancel = () =>
    void client
      .invoke('media.uploadCancel', { workspaceId, uploadId: started.uploadId })
      .catch(() => undefined);
  try {
    const data = await file.arrayBuffer();
    const sha256 = await sha256Hex(data);
    const bytes = new Uint8Array(data);
    onProgress({ sent: 0, total: bytes.length });
    for (let offset = 0; offset < bytes.length; offset += started.chunkBytes) {
      const piece = toBase64(bytes.subarray(offset, offset + started.chunkBytes));
      for (let attempt = 1; ; attempt++) {
        if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
        try {
          await client.invoke('media.uploadChunk', {
            workspaceId,
            uploadId: started.uploadId,
            offset,
            data: piece,
          });
          break;
        } catch (failure) {
          // The core's own refusals (a piece out of order, an upload it forgot) will not pass on a retry.
          const refused = failure instanceof CommandError && failure.code !== 'UNAVAILABLE';
          if (refused) throw failure;
          if (attempt >= TRIES) {
            throw new CommandError(
              'UNAVAILABLE',
              `The upload was interrupted after ${Math.round((offset / bytes.length) * 100)}%: Switchboard ` +
                'could not be reached. Check that it is still running, then send the file again.',
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        }
      }
      onProgress({ sent: Math.min(bytes.length, offset + started.chunkBytes), total: bytes.length });
    }
    return await client.invoke('media.uploadFinish', { workspaceId, uploadId: started.uploadId, sha256 });
  } catch (failure) {
    cancel();
    throw failure;
  }
}
