import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { CentralError } from '../errors';

/** One field of a multipart/form-data body; `body` streams its bytes (a file may be far larger than memory). */
export interface MultipartPart {
  name: string;
  /** Set for a file field: the name the browser sent (its base name only). */
  fileName: string | undefined;
  body: Readable;
}

const MAX_HEADER_BYTES = 8 * 1024;

/** The boundary of a multipart/form-data request, or a 415 in words. */
export function multipartBoundary(req: IncomingMessage): string {
  const type = req.headers['content-type'] ?? '';
  const match = /^multipart\/form-data;.*\bboundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(type);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined)
    throw new CentralError('BAD_REQUEST', 'Send the form as multipart/form-data (a form with files).', {
      status: 415,
    });
  return boundary;
}

/**
 * Where the parsed bytes go: each part a stream handed to `onPart`, written with back-pressure. A
 * consumer's failure is kept and thrown at the next write or part end, so reading stops.
 */
function createPartSink(onPart: (part: MultipartPart) => Promise<void>) {
  let current: { stream: PassThrough; consumed: Promise<void> } | undefined;
  let failure: Error | undefined;
  return {
    failure: (): Error | undefined => failure,
    start(headerText: string): void {
      const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headerText)?.[1] ?? '';
      const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
      if (name === undefined) throw new CentralError('BAD_REQUEST', 'A form field has no name.');
      const rawFile = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
      const stream = new PassThrough();
      const fileName = rawFile === undefined ? undefined : rawFile.split(/[\\/]/).pop()!;
      const consumed = onPart({ name, fileName, body: stream }).catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
        stream.resume();
      });
      current = { stream, consumed };
    },
    async write(bytes: Buffer): Promise<void> {
      // The consumer gave up (a refused upload): stop reading instead of streaming the rest through.
      if (failure !== undefined) throw failure;
      if (current === undefined || current.stream.destroyed || bytes.length === 0) return;
      if (!current.stream.write(bytes)) {
        const stream = current.stream;
        await new Promise<void>((resolve) => {
          const done = () => {
            stream.off('drain', done);
            stream.off('close', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('close', done);
        });
      }
    },
    async end(): Promise<void> {
      if (current === undefined) return;
      current.stream.end();
      await current.consumed;
      current = undefined;
      if (failure !== undefined) throw failure;
    },
    /** The form failed: the part being read is cut off, and its consumer is waited for. */
    async abort(): Promise<void> {
      current?.stream.destroy();
      await current?.consumed;
    },
  };
}

/**
 * Streams the fields of a multipart/form-data request to `onPart`, one at a time and in order, with
 * back-pressure: a large file goes from the socket to its consumer without being held in memory. The
 * consumer must read (or drop) the whole body; what it throws ends the parse and is thrown from here.
 */
export async function readMultipart(
  req: IncomingMessage,
  onPart: (part: MultipartPart) => Promise<void>,
): Promise<void> {
  const delimiter = Buffer.from(`\r\n--${multipartBoundary(req)}`);
  // A leading CRLF lets the first boundary be found as every later one is.
  let buffer: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done' = 'preamble';
  const sink = createPartSink(onPart);

  try {
    // Not destroyed when the loop ends early: the answer still goes out on this request's socket.
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (state === 'preamble' || state === 'body') {
          const at = buffer.indexOf(delimiter);
          if (at === -1) {
            // Keep what could be the start of a delimiter cut by the chunk's end.
            const safe = Math.max(0, buffer.length - delimiter.length + 1);
            if (state === 'body') await sink.write(buffer.subarray(0, safe));
            buffer = buffer.subarray(safe);
            break;
          }
          if (state === 'body') {
            await sink.write(buffer.subarray(0, at));
            await sink.end();
          }
          buffer = buffer.subarray(at + delimiter.length);
          state = 'after-delimiter';
        }
        if (state === 'after-delimiter') {
          if (buffer.length < 2) break;
          const next = buffer.subarray(0, 2).toString('latin1');
          if (next === '--') {
            state = 'done';
            break;
          }
          if (next !== '\r\n') throw new CentralError('BAD_REQUEST', 'The form is damaged (a boundary).');
          buffer = buffer.subarray(2);
          state = 'headers';
        }
        if (state === 'headers') {
          const end = buffer.indexOf('\r\n\r\n');
          if (end === -1) {
            if (buffer.length > MAX_HEADER_BYTES)
              throw new CentralError('BAD_REQUEST', 'The form is damaged (a field header is too long).');
            break;
          }
          sink.start(buffer.subarray(0, end).toString('utf8'));
          buffer = buffer.subarray(end + 4);
          state = 'body';
        }
      }
      if (state === 'done') break;
    }
    if (state !== 'done') throw new CentralError('BAD_REQUEST', 'The form stopped before its end.');
  } catch (error) {
    // The consumer's own refusal when it came first; otherwise what was wrong with the form.
    const consumerFailed = sink.failure();
    await sink.abort();
    throw consumerFailed ?? error;
  }
  // Whatever follows the closing boundary (an epilogue) is read and dropped.
  req.resume();
}

/** A small field's whole text (a form value, a latest.yml), refused beyond `max` bytes. */
export async function readSmallPart(part: MultipartPart, max: number, what: string): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new CentralError('BAD_REQUEST', `${what} is too large (over ${max} bytes).`);
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}
