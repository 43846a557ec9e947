import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../src/core/testing/temp-files';
import type { WorkspaceId } from '../../src/shared/types';
import { startWhatsAppServer, trustSimulator, type WhatsAppServer } from '../../src/simulator/index';
import {
  distinctReplies,
  kill,
  prepareShop,
  sendBurst,
  startCoreProcess as startChild,
  waitForQuiet,
  waitUntil,
} from './core-child';

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

const prepare = (
  numbers: string[] = [SHOP],
  faqs: { question: string; answer: string }[] = [{ question: 'price', answer: ANSWER }],
  pacing: Record<string, unknown> = { enabled: false, perMinute: 600, burst: 100 },
): Promise<WorkspaceId> => prepareShop(server, dataDir, { numbers, faqs, pacing });
const startCoreProcess = (expectNumbers = 1): Promise<ChildProcess> =>
  startChild(server, dataDir, children, expectNumbers);

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
    // Generous: a reply half-sent at the kill is resent after the restart with the sender's backoff, and
    // the chat's later replies wait behind it (per-chat order); on a busy 2-core machine that takes a while.
    await waitUntil(
      () => total() >= 200,
      200_000,
      () =>
        `${total()} of 200 answered; short: ${contacts
          .filter((c) => distinctReplies(c) < PER_CONTACT)
          .map((c) => `${c.phone} has ${distinctReplies(c)}`)
          .join(', ')}`,
    );
    await waitForQuiet(() => contacts.reduce((n, c) => n + c.replies.length, 0)); // a duplicate would be here
    for (const contact of contacts) {
      expect(distinctReplies(contact), contact.phone).toBe(PER_CONTACT);
      expect(contact.replies.every((r) => r.text === ANSWER)).toBe(true);
    }
    expect(killed).toBe(true);
    await kill(core);
  }, 330_000);
});

describe('load and backlog', () => {
  it('a burst of 2,000 messages over the real client: every one answered exactly once, within the pacing limits', async () => {
    // How responsive the core stays meanwhile is a figure, not a pass mark: bench/pipeline-real.bench.ts
    // prints it as pipeline.loop_delay.real.p99.
    const numbers = ['+2348090000001', '+2348090000002', '+2348090000003', '+2348090000004'];
    await prepare(numbers, [{ question: 'price', answer: ANSWER }], {
      enabled: false,
      perMinute: 600,
      burst: 50,
    });
    const core = await startCoreProcess(numbers.length);
    const contacts = await sendBurst(server, numbers, 'price');
    const started = Date.now();
    const total = () => contacts.reduce((n, c) => n + distinctReplies(c), 0);
    await waitUntil(
      () => total() >= 2000,
      240_000, // ~60 s on a quiet machine; headroom for a loaded one
      () => `${total()} of 2000 answered`,
    );
    const elapsedS = (Date.now() - started) / 1000;
    // 600 replies/min per number: 500 replies per number cannot all go out in under ~40 s.
    expect(elapsedS).toBeGreaterThan(35);
    // Settled (the replies the server holds stop changing), then no contact has more than 10.
    await waitForQuiet(() => contacts.reduce((n, c) => n + c.replies.length, 0));
    for (const contact of contacts) {
      expect(distinctReplies(contact), contact.phone).toBe(10);
      expect(contact.replies.every((r) => r.text === ANSWER)).toBe(true);
    }
    await kill(core);
  }, 330_000);

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
    await waitForQuiet(() => customer.replies.length);
    const seen: string[] = [];
    for (const reply of customer.replies) if (!seen.includes(reply.text)) seen.push(reply.text);
    expect(seen).toEqual(faqs.map((f) => f.answer));
    expect(distinctReplies(customer)).toBe(5);
    await kill(core);
  }, 120_000);
});
