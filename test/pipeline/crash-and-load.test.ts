import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSwitchboard } from '../../src/core/app';
import { makeTempDir } from '../../src/core/testing/temp-files';
import type { WorkspaceId } from '../../src/shared/types';
import {
  startWhatsAppServer,
  trustSimulator,
  type SimulatedContact,
  type WhatsAppServer,
} from '../../src/simulator/index';

/**
 * The pipeline's promise under crashes, with the real Baileys client, the local WhatsApp server and a
 * real SQLite file: the core runs as a separate process that is killed with SIGKILL mid-stream.
 */
const SHOP = '+2348090000001';
const ANSWER = 'Our price list: rice ₦2,500, beans ₦1,800. Reply with what you want.';

let server: WhatsAppServer;
let dataDir: string;
let cleanupDir: () => void;
const children = new Set<ChildProcess>();

beforeEach(async () => {
  server = await startWhatsAppServer();
  trustSimulator(server);
  const temp = makeTempDir('switchboard-crash-');
  dataDir = join(temp.dir, 'data');
  cleanupDir = temp.cleanup;
});
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await server.stop();
  cleanupDir();
});

/** Links the shop's numbers and sets up FAQs, in-process; the tests then run the core as a child. */
async function prepare(
  numbers: string[] = [SHOP],
  faqs: { question: string; answer: string }[] = [{ question: 'price', answer: ANSWER }],
  pacing: Record<string, unknown> = { enabled: false, perMinute: 600, burst: 100 },
): Promise<WorkspaceId> {
  const core = await createSwitchboard({
    dataDir,
    whatsapp: { waWebSocketUrl: server.url, livenessIntervalMs: 0 },
  });
  const ws = await core.workspaces.create({ name: 'Mama Put Kitchen' });
  await core.workspaces.updateSettings(ws.id, {
    greeting: { enabled: false },
    floodGuard: { enabled: false },
    pacing,
  });
  await core.store.transaction(async (trx) => {
    const { createFaqRepository } = await import('../../src/core/store/repositories/faqs');
    for (const [i, faq] of faqs.entries()) {
      await createFaqRepository(trx, () => crypto.randomUUID()).create(
        ws.id,
        `faq-${i}`,
        { question: faq.question, answer: faq.answer, phrasings: [faq.question], enabled: true },
        Date.now(),
      );
    }
  });
  for (const phone of numbers) {
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

function startCoreProcess(expectNumbers = 1): Promise<ChildProcess> {
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
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
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

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function loopStats(child: ChildProcess): Promise<{ p99: number; max: number; mean: number; heapMb: number }> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      const line = chunk
        .toString()
        .split('\n')
        .find((l) => l.startsWith('STATS '));
      if (line === undefined) return;
      child.stdout!.off('data', onData);
      resolve(JSON.parse(line.slice(6)) as { p99: number; max: number; mean: number; heapMb: number });
    };
    child.stdout!.on('data', onData);
    child.stdin!.write('STATS\n');
  });
}

/** What a customer's phone shows: a message id seen twice is one message (WhatsApp dedupes by id). */
const distinctReplies = (contact: SimulatedContact) => new Set(contact.replies.map((r) => r.id)).size;

async function waitUntil(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('crash and load', () => {
  it('kill -9 in the middle of 200 messages from 20 contacts: every message answered exactly once', async () => {
    await prepare();
    let core = await startCoreProcess();
    const contacts = Array.from({ length: 20 }, (_, i) =>
      server.contact(`+23480310000${String(i).padStart(2, '0')}`),
    );
    const PER_CONTACT = 10;
    let sent = 0;
    let killed = false;
    for (let round = 0; round < PER_CONTACT; round++) {
      for (const contact of contacts) {
        await contact.send(SHOP, 'price');
        sent++;
        if (sent === 90 && !killed) {
          killed = true;
          await kill(core); // mid-stream: some messages are in flight, some replies queued or half-sent
        }
        if (sent % 20 === 0) await new Promise((r) => setTimeout(r, 30));
      }
    }
    core = await startCoreProcess();
    const total = () => contacts.reduce((n, c) => n + distinctReplies(c), 0);
    await waitUntil(
      () => total() >= 200,
      90_000,
      () =>
        `${total()} of 200 answered; short: ${contacts
          .filter((c) => distinctReplies(c) < PER_CONTACT)
          .map((c) => `${c.phone} has ${distinctReplies(c)}`)
          .join(', ')}`,
    );
    await new Promise((r) => setTimeout(r, 1_500)); // any duplicate would show up by now
    for (const contact of contacts) {
      expect(distinctReplies(contact), contact.phone).toBe(PER_CONTACT);
      expect(contact.replies.every((r) => r.text === ANSWER)).toBe(true);
    }
    expect(killed).toBe(true);
    await kill(core);
  }, 180_000);
});

describe('load and backlog', () => {
  it('a burst of 2,000 messages: the core stays responsive and answers all within the pacing limits', async () => {
    const numbers = ['+2348090000001', '+2348090000002', '+2348090000003', '+2348090000004'];
    await prepare(numbers, [{ question: 'price', answer: ANSWER }], {
      enabled: false,
      perMinute: 600,
      burst: 50,
    });
    const core = await startCoreProcess(numbers.length);
    const before = await loopStats(core); // reset the histogram: measure the burst only
    const contacts = Array.from({ length: 200 }, (_, i) =>
      server.contact(`+2347031${String(i).padStart(6, '0')}`),
    );
    const sends: Promise<string>[] = [];
    for (let round = 0; round < 10; round++) {
      for (const [i, contact] of contacts.entries())
        sends.push(contact.send(numbers[i % numbers.length]!, 'price'));
    }
    await Promise.all(sends);
    const started = Date.now();
    const total = () => contacts.reduce((n, c) => n + distinctReplies(c), 0);
    await waitUntil(
      () => total() >= 2000,
      150_000,
      () => `${total()} of 2000 answered`,
    );
    const elapsedS = (Date.now() - started) / 1000;
    const stats = await loopStats(core);
    // eslint-disable-next-line no-console -- the figures a reader of the test output wants
    console.log(
      `burst: 2000 answered in ${elapsedS.toFixed(1)} s; core event-loop delay p99 ${stats.p99.toFixed(1)} ms, max ${stats.max.toFixed(1)} ms; heap after GC ${before.heapMb.toFixed(0)} -> ${stats.heapMb.toFixed(0)} MB`,
    );
    // 600 replies/min per number: 500 replies per number cannot all go out in under ~40 s.
    expect(elapsedS).toBeGreaterThan(35);
    for (const contact of contacts) expect(distinctReplies(contact), contact.phone).toBe(10);
    // The event-loop delay is reported, not asserted (shared, noisy machines): the benchmark tracks
    // pipeline.loop_delay.p99; under a real-Baileys burst the core still shows multi-second stalls,
    // recorded on issue #4 as open work.
    expect(stats.p99).toBeGreaterThan(0);
    await kill(core);
  }, 240_000);

  it('restarting with a backlog in the outbox resumes sending, in order, without repeats', async () => {
    const faqs = ['rice', 'beans', 'yam', 'garri', 'plantain'].map((item, i) => ({
      question: item,
      answer: `Answer ${i + 1}: ${item} is in stock`,
    }));
    await prepare([SHOP], faqs, { enabled: false, perMinute: 20, burst: 1 });
    let core = await startCoreProcess();
    const customer = server.contact('+2348035550000');
    for (const faq of faqs) await customer.send(SHOP, faq.question);
    await waitUntil(
      () => customer.replies.length >= 1,
      30_000,
      () => 'no first reply',
    );
    await kill(core); // the rest are queued in the outbox, waiting for the rate limit
    expect(distinctReplies(customer)).toBeLessThan(5);
    core = await startCoreProcess();
    await waitUntil(
      () => distinctReplies(customer) >= 5,
      60_000,
      () => `${distinctReplies(customer)} of 5`,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const seen: string[] = [];
    for (const reply of customer.replies) if (!seen.includes(reply.text)) seen.push(reply.text);
    expect(seen).toEqual(faqs.map((f) => f.answer));
    expect(distinctReplies(customer)).toBe(5);
    await kill(core);
  }, 120_000);
});
