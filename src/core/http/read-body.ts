import type { IncomingMessage } from 'node:http';

/**
 * A request body as the bytes received, or why not: more than the limit (refused on the declared
 * length before reading, `read` 0, or counted while reading). The caller answers 413 and decides what
 * becomes of the rest of the upload (closing the connection, or reading it away).
 */
export type Body =
  { kind: 'ok'; bytes: Buffer } | { kind: 'too-large'; declared: number | null; read: number };

/**
 * The one HTTP body reader of the shells (the headless host and the central server). Bytes, not text:
 * a webhook's signature covers them exactly. Rejects with the stream's error when the client goes away.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const header = Number(req.headers['content-length']);
  const declared = Number.isFinite(header) ? header : null;
  if (declared !== null && declared > limit) {
    req.pause();
    return Promise.resolve({ kind: 'too-large', declared, read: 0 });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve({ kind: 'too-large', declared, read: size });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ kind: 'ok', bytes: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onAborted = (): void => onError(new Error('the client went away'));
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      // Settled: a later error (the client resets while the answer goes out) must not go unhandled.
      req.on('error', ignore);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

const ignore = (): void => undefined;
