// The clarifying question on a Cloud API number, through the real stack: the core (createSwitchboard,
// real SQLite files) and the Cloud API provider against the local Graph API server, whose signed
// webhooks a small receiver here verifies and hands to the live core. The question goes as an
// interactive list; the customer taps a row and gets that FAQ's answer. A list the server refuses goes
// as the numbered text instead, and a question still queued at a restart goes as the same list.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSwitchboard } from '../../src/core/app';
import { createFaqRepository } from '../../src/core/store/repositories/faqs';
import { DELIVERY_FAQS, unsureDeliveryQuestion } from '../../src/core/testing/delivery-faqs';
import { makeTempDir } from '../../src/core/testing/temp-files';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/core/testing/webhook-receiver';
import type {
  CloudApiNumberConfig,
  CloudApiProvider,
} from '../../src/core/whatsapp/cloud-api/cloud-api-provider';
import type { E164, WorkspaceId } from '../../src/shared/types';
import {
  startGraphApiServer,
  type CloudCustomer,
  type CloudReply,
  type GraphApiServer,
  type SimNumber,
} from '../../src/simulator/graph-api/index';
import { waitUntil, wrapCore, type Core } from './harness';

const SHOP = '+2348090000001' as E164;
const UNSURE = unsureDeliveryQuestion();
const [FIRST, SECOND] = UNSURE.offered.map((i) => DELIVERY_FAQS[i]!);
const ASK = `Do you mean 1) ${FIRST!.question.slice(0, -1)} or 2) ${SECOND!.question.slice(0, -1)}? Reply 1 or 2`;

let sim: GraphApiServer;
let number: SimNumber;
let receiver: WebhookReceiver;
let cleanupDir: () => void;
let dir: string;
let core: Core | null = null;
let workspaceId: WorkspaceId;
let nextCustomer = 0;
const config = new Map<E164, CloudApiNumberConfig>();

async function startCore(): Promise<Core> {
  const app = await createSwitchboard({
    dataDir: join(dir, 'data'),
    durability: 'normal',
    whatsapp: {
      livenessIntervalMs: 0,
      cloudApi: { baseUrl: sim.url, healthIntervalMs: 0, numberConfig: (n) => config.get(n.e164) },
    },
  });
  core = wrapCore(app);
  await app.start();
  return core;
}

/** A shop with the two delivery FAQs; retries after 1.5 s, so a restart test can stop in between. */
async function openShop(): Promise<Core> {
  const c = await startCore();
  workspaceId = (await c.app.workspaces.create({ name: 'Lekki Gadgets' })).id;
  await c.app.workspaces.updateSettings(workspaceId, {
    greeting: { enabled: false },
    floodGuard: { enabled: false },
    pacing: { enabled: false, retryBaseMs: 1_500, retryMaxMs: 1_500, maxAttempts: 5 },
  });
  let phrasing = 0;
  await c.app.store.transaction(async (trx) => {
    const faqs = createFaqRepository(trx, () => `phrasing-${++phrasing}`);
    for (const [i, faq] of DELIVERY_FAQS.entries()) {
      await faqs.create(workspaceId, `faq-delivery-${i + 1}`, faq, Date.now());
    }
  });
  const added = await c.app.workspaces.addNumber(workspaceId, { number: SHOP, provider: 'cloud-api' });
  config.set(added.e164, {
    phoneNumberId: number.phoneNumberId,
    wabaId: number.wabaId,
    accessToken: number.accessToken,
  });
  await c.app.connect(workspaceId, added.id);
  await c.waitForStatus(added.e164, 'connected');
  return c;
}

function customer(): CloudCustomer {
  nextCustomer += 1;
  return sim.customer(`+23480312450${String(nextCustomer).padStart(2, '0')}`);
}

const outboxOf = (c: Core) => c.app.store.db.selectFrom('outbox').selectAll().orderBy('seq').execute();

/** The customer's list: each row as the phone shows it. */
const rowsOf = (reply: CloudReply) => reply.list?.rows.map((r) => [r.id, r.title, r.description]);

beforeEach(async () => {
  sim = await startGraphApiServer({
    webhooks: { retryBaseMs: 100, retryMaxMs: 1_000 },
    statuses: { delayMs: 20 },
  });
  number = sim.addNumber({ phone: SHOP, verifiedName: 'Lekki Gadgets' });
  ({ dir, cleanup: cleanupDir } = makeTempDir('switchboard-cloud-clarify-'));
  receiver = await startWebhookReceiver({
    appSecret: sim.appSecret,
    deliver: (notification) => {
      if (core === null) return false;
      try {
        (core.app.connections.provider(workspaceId, SHOP) as CloudApiProvider).handleWebhook(notification);
        return true;
      } catch {
        return false;
      }
    },
  });
  sim.setWebhookUrl(receiver.url);
});

afterEach(async () => {
  await core?.close();
  core = null;
  await sim.stop();
  await receiver.close();
  cleanupDir();
}, 60_000);

describe('the clarifying question on the Cloud API', () => {
  it('goes as a list; the row the customer taps is the pick, and its answer comes back', async () => {
    await openShop();
    const ada = customer();
    await ada.send(SHOP, UNSURE.text);
    const [question] = await ada.waitForReplies(1, 15_000);
    expect(question!.text).toBe(ASK);
    expect(rowsOf(question!)).toEqual([
      [
        'choice-1',
        `1) ${FIRST!.question.slice(0, -1)}`.slice(0, 23).trimEnd() + '…',
        FIRST!.question.slice(0, -1),
      ],
      [
        'choice-2',
        `2) ${SECOND!.question.slice(0, -1)}`.slice(0, 23).trimEnd() + '…',
        SECOND!.question.slice(0, -1),
      ],
    ]);
    expect(question!.list!.rows.every((r) => [...r.title].length <= 24)).toBe(true);
    expect(question!.list!.button).toBe('Choose');

    await ada.pickFromList(SHOP, question!.id, 'choice-2');
    const replies = await ada.waitForReplies(2, 15_000);
    expect(replies[1]!.text).toBe(SECOND!.answer);
    expect(replies[1]!.list).toBeUndefined();
    // The tap is the customer's message in the thread, as they saw it.
    const inbound = await core!.app.store.db
      .selectFrom('messages')
      .select('text')
      .where('direction', '=', 'in')
      .orderBy('created_at')
      .execute();
    expect(inbound.map((m) => m.text)).toEqual([UNSURE.text, question!.list!.rows[1]!.title]);
  });

  it('a list the server refuses goes as the numbered text, and a typed "1" picks', async () => {
    const c = await openShop();
    const bola = customer();
    // Meta's answer to a value it will not take in an interactive message.
    sim.failNext({ code: 131009 }, { to: bola.address });
    await bola.send(SHOP, UNSURE.text);
    const [question] = await bola.waitForReplies(1, 15_000);
    expect(question!.text).toBe(ASK);
    expect(question!.list).toBeUndefined();
    const sends = sim.requests.filter((r) => r.kind === 'send' && r.to === bola.address);
    expect(sends).toHaveLength(2);
    // The phone can show it before the sender records it as sent.
    await waitUntil(
      async () => (await outboxOf(c))[0]?.status === 'sent',
      'the question to be recorded sent',
    );
    const [row] = await outboxOf(c);
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      choices: JSON.stringify([FIRST!.question, SECOND!.question]),
    });

    // The Activity log says what happened (the logger writes in batches).
    await waitUntil(
      async () =>
        (
          await c.app.store.db
            .selectFrom('events')
            .select('seq')
            .where('type', '=', 'outbox.list_refused')
            .execute()
        ).length === 1,
      'the refused list in the log',
    );

    await bola.send(SHOP, '1');
    expect((await bola.waitForReplies(2, 15_000))[1]!.text).toBe(FIRST!.answer);
  });

  it('a question still queued at a restart goes as the same list, and the tap is answered after it', async () => {
    const first = await openShop();
    const chidi = customer();
    // Meta's throughput limit: the first attempt fails, the row waits for its retry.
    sim.failNext({ code: 130429 }, { to: chidi.address });
    await chidi.send(SHOP, UNSURE.text);
    await waitUntil(async () => (await outboxOf(first))[0]?.attempts === 1, 'the first attempt to fail');
    await first.close();
    core = null;
    expect(chidi.replies).toEqual([]);

    await startCore();
    const [question] = await chidi.waitForReplies(1, 20_000);
    expect(question!.text).toBe(ASK);
    expect(rowsOf(question!)?.map((r) => r[0])).toEqual(['choice-1', 'choice-2']);
    await chidi.pickFromList(SHOP, question!.id, 'choice-1');
    expect((await chidi.waitForReplies(2, 15_000))[1]!.text).toBe(FIRST!.answer);
    await waitUntil(
      async () => (await outboxOf(core!)).every((r) => r.status === 'sent'),
      'both replies to be recorded sent',
    );
    expect((await outboxOf(core!)).map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 2],
      ['sent', 1],
    ]);
  });
});

describe('the local Graph API server checks an interactive list as Meta does', () => {
  async function post(rows: unknown[]): Promise<{ status: number; code: unknown }> {
    const response = await fetch(`${sim.url}/v25.0/${number.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${number.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: dayo.waId,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Which one?' },
          action: { button: 'Choose', sections: [{ rows }] },
        },
      }),
    });
    const body = (await response.json()) as { error?: { code?: unknown } };
    return { status: response.status, code: body.error?.code ?? null };
  }
  const row = (i: number, title = `Option ${i}`) => ({ id: `row-${i}`, title });
  let dayo: CloudCustomer;

  it('takes ten rows; refuses eleven, a title over 24 characters and a repeated id', async () => {
    dayo = customer();
    await dayo.send(SHOP, 'hello'); // opens the 24-hour window; no core runs, Meta retries it
    const ten = Array.from({ length: 10 }, (_, i) => row(i));
    expect(await post(ten)).toEqual({ status: 200, code: null });
    expect(await post([...ten, row(10)])).toEqual({ status: 400, code: 131009 });
    expect(await post([row(1, 'x'.repeat(25))])).toEqual({ status: 400, code: 131009 });
    expect(await post([row(1, 'x'.repeat(24))])).toEqual({ status: 200, code: null });
    expect(await post([row(1), { ...row(2), id: 'row-1' }])).toEqual({ status: 400, code: 131009 });
    expect(dayo.replies.map((r) => r.list?.rows.length)).toEqual([10, 1]);
  });
});
