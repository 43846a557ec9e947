import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody, type Body } from './read-body';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Sends `body` to a real server on 127.0.0.1 that reads it with a limit of 10 bytes. */
async function send(body: Buffer, chunked: boolean): Promise<Body> {
  let seen: Promise<Body> | undefined;
  server = createServer((req, res) => {
    seen = readBody(req, 10);
    void seen.then((result) => {
      res.setHeader('Connection', 'close');
      res.end(result.kind);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', () => resolve());
    if (chunked) req.setHeader('Transfer-Encoding', 'chunked');
    else req.setHeader('Content-Length', body.length);
    req.end(body);
  });
  return seen!;
}

describe('readBody', () => {
  it('gives the exact bytes of a body within the limit', async () => {
    const body = await send(Buffer.from([0xff, 0x00, 0x41]), false);
    expect(body).toEqual({ kind: 'ok', bytes: Buffer.from([0xff, 0x00, 0x41]) });
  });

  it('refuses on the declared length before reading', async () => {
    expect(await send(Buffer.alloc(64), false)).toEqual({ kind: 'too-large', declared: 64, read: 0 });
  });

  it('refuses once the bytes counted pass the limit when no length is declared', async () => {
    const body = await send(Buffer.alloc(64), true);
    expect(body.kind).toBe('too-large');
    if (body.kind === 'too-large') {
      expect(body.declared).toBeNull();
      expect(body.read).toBeGreaterThan(10);
    }
  });
});
