import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { z } from 'zod';
import { readBody as readBytes, type Body } from '../../core/http/index';
import { CentralError } from '../errors';

const gunzipAsync = promisify(gunzip);

export interface BodyLimits {
  /** Bytes on the wire (a gzip body before inflating). */
  maxWireBytes: number;
  /** Bytes of a gzip body once inflated: what bounds a gzip bomb. */
  maxInflatedBytes: number;
}

/** A small request (an enrollment, an acknowledgement, a rollout): 64 KiB, gzip or not. */
export const SMALL_BODY: BodyLimits = { maxWireBytes: 64 * 1024, maxInflatedBytes: 64 * 1024 };

/**
 * A body over the limit is answered at once, but the rest of it is still read and thrown away (up to
 * this much), so the client gets the 413 instead of a connection reset while it is still sending.
 * Beyond it, the connection is closed after the answer.
 */
const DRAIN_CAP_BYTES = 16 * 1024 * 1024;

/** The request body, gzip inflated within bounds. Throws CentralError 413 (too large), 415 or 400. */
export async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: BodyLimits,
): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  if (!gzip && encoding !== 'identity') {
    discardRest(req, res, 0);
    throw new CentralError(
      'BAD_REQUEST',
      `Content-Encoding "${encoding}" is not supported: send the body as it is or with gzip.`,
      { status: 415 },
    );
  }
  const raw = await readWire(req, res, limits.maxWireBytes);
  if (!gzip) return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: limits.maxInflatedBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(
        `The gzip body inflates to more than ${limits.maxInflatedBytes} bytes, the limit for one batch: ` +
          'send fewer events per batch.',
      );
    }
    throw new CentralError('BAD_REQUEST', `The body is not valid gzip (${(error as Error).message}).`);
  }
}

export async function readJson(
  req: IncomingMessage,
  res: ServerResponse,
  limits: BodyLimits,
): Promise<unknown> {
  const body = await readBody(req, res, limits);
  const text = body.toString('utf8');
  if (text.trim() === '')
    throw new CentralError('BAD_REQUEST', 'The request body is empty; it should be JSON.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CentralError('BAD_REQUEST', `The request body is not valid JSON: ${(error as Error).message}.`);
  }
}

/** Validates with a protocol schema; a refusal names the fields that are wrong. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new CentralError('BAD_REQUEST', `${what} is not valid: ${describeIssues(result.error)}`);
}

export function describeIssues(error: z.ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.reduce<string>(
      (text, key) =>
        typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`,
      '',
    );
    return `${path === '' ? '(body)' : path}: ${issue.message}`;
  });
  const more = error.issues.length - max;
  return lines.join('; ') + (more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : '');
}

/** An HTML form post (application/x-www-form-urlencoded). */
export async function readForm(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes = 16 * 1024,
): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    discardRest(req, res, 0);
    throw new CentralError('BAD_REQUEST', 'Expected a form (application/x-www-form-urlencoded).', {
      status: 415,
    });
  }
  const body = await readBody(req, res, { maxWireBytes: maxBytes, maxInflatedBytes: maxBytes });
  return new URLSearchParams(body.toString('utf8'));
}

/** The bytes on the wire; past the limit the rest is read away (up to a cap) and 413 thrown. */
async function readWire(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  let body: Body;
  try {
    body = await readBytes(req, limit);
  } catch (error) {
    throw new CentralError('BAD_REQUEST', `The request body could not be read: ${(error as Error).message}`);
  }
  if (body.kind === 'ok') return body.bytes;
  if (body.read === 0 && body.declared !== null) {
    discardRest(req, res, 0, body.declared);
    throw tooLarge(`The request body is ${body.declared} bytes; the limit is ${limit} bytes on the wire.`);
  }
  discardRest(req, res, body.read);
  throw tooLarge(`The request body is larger than ${limit} bytes on the wire.`);
}

/** After an early answer: the rest of the request is read and dropped (closed beyond the cap). */
export function discardRequestRest(req: IncomingMessage, res: ServerResponse): void {
  const declared = Number(req.headers['content-length']);
  discardRest(req, res, 0, Number.isFinite(declared) ? declared : undefined);
}

function discardRest(
  req: IncomingMessage,
  res: ServerResponse,
  alreadyRead: number,
  declared?: number,
): void {
  if (req.readableEnded) return;
  if (declared !== undefined && declared > DRAIN_CAP_BYTES) {
    res.setHeader('Connection', 'close');
    res.on('finish', () => req.destroy());
    return;
  }
  let drained = alreadyRead;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_CAP_BYTES) req.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}

const tooLarge = (message: string): CentralError => new CentralError('TOO_LARGE', message);
