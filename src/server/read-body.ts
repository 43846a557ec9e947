import type { IncomingMessage } from 'node:http';

export type Body = { kind: 'ok'; bytes: Buffer } | { kind: 'too-large'; declared: number | null };

/**
 * A request body as the bytes received, up to `limit`. Past it (declared or counted) reading stops
 * and the caller answers 413 and closes the connection. Bytes, not text: a webhook's signature covers
 * them exactly.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  const known = Number.isFinite(declared) ? declared : null;
  if (known !== null && known > limit) {
    req.pause();
    return Promise.resolve({ kind: 'too-large', declared: known });
  }
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        resolvePromise({ kind: 'too-large', declared: known });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolvePromise({ kind: 'ok', bytes: Buffer.concat(chunks) });
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}
