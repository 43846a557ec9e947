// The core as a child process beside the local WhatsApp server: what the crash tests kill with SIGKILL
// and what the real-client load bench measures (bench/pipeline-real.bench.ts). One kit for both, so the
// figure and the test drive the core the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createSwitchboard } from '../../src/core/app';
import { createFaqRepository } from '../../src/core/store/repositories/faqs';
import type { WorkspaceId } from '../../src/shared/types';
import type { SimulatedContact, WhatsAppServer } from '../../src/simulator/index';

export interface ShopSetup {
  numbers: string[];
  faqs: { question: string; answer: string }[];
  pacing: Record<string, unknown>;
}

/** Links the shop's numbers and sets up FAQs, in-process; the caller then runs the core as a child. */
export async function prepareShop(
  server: WhatsAppServer,
  dataDir: string,
  setup: ShopSetup,
): Promise<WorkspaceId> {
  const core = await createSwitchboard({
    dataDir,
    whatsapp: { waWebSocketUrl: server.url, livenessIntervalMs: 0 },
  });
  const ws = await core.workspaces.create({ name: 'Mama Put Kitchen' });
  await core.workspaces.updateSettings(ws.id, {
    greeting: { enabled: false },
    floodGuard: { enabled: false },
    pacing: setup.pacing,
  });
  await core.store.transaction(async (trx) => {
    for (const [i, faq] of setup.faqs.entries()) {
      await createFaqRepository(trx, () => crypto.randomUUID()).create(
        ws.id,
        `faq-${i}`,
        { question: faq.question, answer: faq.answer, phrasings: [faq.question], enabled: true },
        Date.now(),
      );
    }
  });
  for (const phone of setup.numbers) {
    const number = await core.workspaces.addNumber(ws.id, { number: phone });
    const connected = new Promise<void>((resolve) =>
      core.onConnectionEvent((e) => {
        if (e.type === 'qr' && e.number === number.e164) void server.scanQr(e.qr, phone);
        if (e.type === 'state' && e.number === number.e164 && e.state.status === 'connected') resolve();
      }),
    );
    await core.connect(ws.id, number.id);
    await connected;
  }
  await core.close();
  return ws.id;
}

/** Starts test/pipeline/core-process.ts on `dataDir`; resolves once `expectNumbers` numbers are connected. */
export function startCoreProcess(
  server: WhatsAppServer,
  dataDir: string,
  children: Set<ChildProcess>,
  expectNumbers = 1,
): Promise<ChildProcess> {
  const script = join(import.meta.dirname, 'core-process.ts');
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      script,
      dataDir,
      server.url,
      Buffer.from(server.rootPublicKey).toString('hex'),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`core did not connect: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`READY ${expectNumbers}`)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`core exited (${code}): ${stderr}`));
    });
  });
}

export interface LoopStats {
  p99: number;
  max: number;
  mean: number;
  heapMb: number;
}

/** The child's event-loop delay since the last request (and its heap after a full GC), in ms / MB. */
export function loopStats(child: ChildProcess): Promise<LoopStats> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      const line = chunk
        .toString()
        .split('\n')
        .find((l) => l.startsWith('STATS '));
      if (line === undefined) return;
      child.stdout!.off('data', onData);
      resolve(JSON.parse(line.slice(6)) as LoopStats);
    };
    child.stdout!.on('data', onData);
    child.stdin!.write('STATS\n');
  });
}

export function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** What a customer's phone shows: a message id seen twice is one message (WhatsApp dedupes by id). */
export const distinctReplies = (contact: SimulatedContact): number =>
  new Set(contact.replies.map((r) => r.id)).size;

export async function waitUntil(
  condition: () => boolean,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 200 customers writing 10 times each, spread over the shop's numbers: the 2,000-message burst. */
export async function sendBurst(
  server: WhatsAppServer,
  numbers: string[],
  text: string,
): Promise<SimulatedContact[]> {
  const contacts = Array.from({ length: 200 }, (_, i) =>
    server.contact(`+2347031${String(i).padStart(6, '0')}`),
  );
  const sends: Promise<string>[] = [];
  for (let round = 0; round < 10; round++) {
    for (const [i, contact] of contacts.entries())
      sends.push(contact.send(numbers[i % numbers.length]!, text));
  }
  await Promise.all(sends);
  return contacts;
}

/**
 * Waits until `count()` has not changed for `quietMs`: the settled state a "no duplicate" check needs
 * (a fixed sleep passes falsely on a slow machine; this waits as long as replies keep coming).
 */
export async function waitForQuiet(count: () => number, quietMs = 1_500, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  let last = count();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`still changing after ${timeoutMs} ms (at ${count()})`);
    await new Promise((r) => setTimeout(r, 100));
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}
