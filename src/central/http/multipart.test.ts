import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMultipart, readSmallPart } from './multipart';

/** A request whose body arrives in chunks of `size` bytes: every boundary ends up cut somewhere. */
async function request(form: FormData, size: number): Promise<IncomingMessage> {
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
  return Object.assign(Readable.from(chunks), {
    headers: { 'content-type': encoded.headers.get('content-type')! },
  }) as unknown as IncomingMessage;
}

describe('readMultipart', () => {
  // Bytes that contain CR LF and dashes, as a real installer does.
  const file = Buffer.concat([randomBytes(3000), Buffer.from('\r\n--\r\n-'), randomBytes(500)]);

  it.each([1, 7, 64, 4096])('reads every field whole and in order, in chunks of %i bytes', async (size) => {
    const form = new FormData();
    form.append('channel', new Blob(['version: 1.5.0\n']), 'latest.yml');
    form.append('notes', 'Faster inbox — ünïcødé');
    form.append('installer', new Blob([file]), 'C:\\dist\\Switchboard-Setup-1.5.0.exe');
    const seen: [string, string | undefined, Buffer][] = [];
    await readMultipart(await request(form, size), async (part) => {
      const bytes: Buffer[] = [];
      for await (const chunk of part.body as AsyncIterable<Buffer>) bytes.push(chunk);
      seen.push([part.name, part.fileName, Buffer.concat(bytes)]);
    });
    expect(seen.map(([name, fileName]) => [name, fileName])).toEqual([
      ['channel', 'latest.yml'],
      ['notes', undefined],
      ['installer', 'Switchboard-Setup-1.5.0.exe'],
    ]);
    expect(seen[1]![2].toString('utf8')).toBe('Faster inbox — ünïcødé');
    expect(seen[2]![2].equals(file)).toBe(true);
  });

  it('passes on what the consumer throws, and refuses a cut-off form and a non-multipart body', async () => {
    const form = new FormData();
    form.append('notes', 'x'.repeat(5000));
    await expect(
      readMultipart(await request(form, 100), (part) =>
        readSmallPart(part, 4096, 'The notes').then(() => undefined),
      ),
    ).rejects.toThrow('The notes is too large (over 4096 bytes).');

    const whole = Buffer.from(await new Response(form).arrayBuffer());
    const type = new Response(form).headers.get('content-type')!;
    const cut = Object.assign(Readable.from([whole.subarray(0, whole.length - 20)]), {
      headers: { 'content-type': type },
    }) as unknown as IncomingMessage;
    await expect(
      readMultipart(cut, (part) => readSmallPart(part, 1e6, 'x').then(() => undefined)),
    ).rejects.toThrow('The form stopped before its end.');
    const json = Object.assign(Readable.from(['{}']), {
      headers: { 'content-type': 'application/json' },
    }) as unknown as IncomingMessage;
    await expect(readMultipart(json, () => Promise.resolve())).rejects.toThrow(/multipart\/form-data/);
  });
});
