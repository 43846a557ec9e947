// Issue 14 #13: libsignal prints whole Signal sessions ("Closing session: SessionEntry { ... privKey:
// <Buffer ...> }") with console.*. A real Baileys session against the local WhatsApp server (customers
// write, the bot answers: sessions are opened on both sides), with standard output, standard error, the
// console and the log sinks captured: no private key, chain or root key, in any form, reaches any of them.
import { inspect } from 'node:util';
import { BufferJSON } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreRuntime, type CoreRuntime } from '../../src/core/handlers/index';
import type { LogEntry } from '../../src/core/log/log-types';
import { createMemorySink } from '../../src/core/testing/memory-sink';
import { createFileKeySecretBox } from '../../src/core/secrets/file-key-secret-box';
import { commandCaller, createHarness, linkNumber, waitUntil, type Core, type Harness } from './harness';

const SHOP = '+2348090000001';
const CUSTOMERS = ['+2348031234567', '+2347061234567', '+2348051112222'];

let harness: Harness;
let core: Core;
let runtime: CoreRuntime;
const sink = createMemorySink();
const captured: string[] = [];
const restore: (() => void)[] = [];

/** Everything written to stdout/stderr and every console call's arguments, as text. */
function capture(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      captured.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      return write(chunk, ...rest);
    };
    restore.push(() => void (stream.write = write as typeof stream.write));
  }
  const table = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const method of ['log', 'info', 'debug', 'warn', 'error', 'trace']) {
    const original = table[method]!;
    table[method] = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '));
      original(...args);
    };
    restore.push(() => void (table[method] = original));
  }
}

/**
 * Every 32-byte secret of the number's Signal state (identity, pre-keys, sessions' ratchets), as stored
 * and opened with the data folder's key (the rows are sealed at rest).
 */
async function keyMaterial(): Promise<Buffer[]> {
  const db = core.app.store.db;
  const box = createFileKeySecretBox({ dataDir: harness.dataDir });
  const rows = [
    ...(await db.selectFrom('wa_auth_creds').select('creds as value').execute()),
    ...(await db.selectFrom('wa_auth_keys').select('value').execute()),
  ].map((row) => ({ value: row.value.startsWith('v1:') ? box.open(row.value) : row.value }));
  const found = new Map<string, Buffer>();
  const walk = (value: unknown, key: string): void => {
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
      if (value.byteLength === 32 && /priv|root|chain|key/i.test(key))
        found.set(Buffer.from(value).toString('hex'), Buffer.from(value));
    } else if (typeof value === 'string') {
      if (/^[A-Za-z0-9+/]{43}=$/.test(value) && /priv|root|chain/i.test(key)) {
        const bytes = Buffer.from(value, 'base64');
        found.set(bytes.toString('hex'), bytes);
      } else if (value.startsWith('{')) {
        try {
          walk(JSON.parse(value, BufferJSON.reviver) as unknown, key);
        } catch {
          // not JSON
        }
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  for (const row of rows) walk(row.value, 'row');
  return [...found.values()];
}

/** The forms a key takes when printed: hex, base64, and util.inspect's "<Buffer 0a 1b ...>". */
function printedForms(key: Buffer): string[] {
  const spaced = [...key.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return [key.toString('hex'), key.toString('base64'), key.toString('base64url'), spaced];
}

beforeAll(async () => {
  capture();
  harness = await createHarness();
  core = await harness.startCore({}, { sinks: [sink] });
  runtime = createCoreRuntime(core.app);
  await core.app.start();
  const call = commandCaller(() => runtime);
  const { workspace } = await call('workspace.create', { name: 'Chidi Pharmacy', botMode: 'faq' });
  await call('workspace.updateSettings', {
    workspaceId: workspace.id,
    settings: { pacing: { enabled: false } },
  });
  await linkNumber(harness, core, SHOP, { id: workspace.id });
  for (const phone of CUSTOMERS) {
    const customer = harness.server.contact(phone, { name: `Customer ${phone.slice(-4)}` });
    await customer.send(SHOP, 'Hello, do you have paracetamol?');
    await waitUntil(() => customer.replies.length > 0, `a reply to ${phone}`);
  }
  await core.app.logger.flush();
}, 90_000);

afterAll(async () => {
  runtime?.close();
  await harness?.cleanup();
  for (const undo of restore.reverse()) undo();
}, 60_000);

describe('Signal key material', () => {
  it('libsignal spoke (its session messages went to the log), yet no key reached any output', async () => {
    const keys = await keyMaterial();
    expect(keys.length).toBeGreaterThan(3);
    const stored = await core.app.store.db.selectFrom('events').select(['message', 'meta']).execute();
    const outputs: [string, string][] = [
      ['stdout, stderr and the console', captured.join('\n')],
      ['the log sinks', JSON.stringify(sink.entries satisfies LogEntry[])],
      ['the event log table', JSON.stringify(stored)],
    ];
    for (const [where, text] of outputs) {
      expect(text, where).not.toMatch(/privKey['"]?\s*[:=]\s*['"]?(<Buffer|[A-Za-z0-9+/]{20})/);
      expect(text, where).not.toContain('SessionEntry');
      for (const key of keys)
        for (const form of printedForms(key)) expect(text.includes(form), `${where} holds a key`).toBe(false);
    }
    // And it did speak: its session messages are in the log, as text without the objects' keys.
    const library = sink.ofType('whatsapp.library_console');
    expect(library.map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/session/i)]),
    );
  });
});
