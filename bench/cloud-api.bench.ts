/**
 * Cloud API reply latency: from the moment the local Graph API server POSTs a signed webhook with a
 * customer's question to the moment the answer reaches it as a send, pacing off, one message at a time
 * (latency, not throughput).
 *
 * 1. cloud.reply_latency.p99 / .p50: the provider and a minimal FAQ answer loop over real HTTP on
 *    127.0.0.1: simulator -> webhook receiver (parseWebhook: HMAC over the raw bytes) ->
 *    provider.handleWebhook -> FAQ matcher (50 FAQs) -> provider.sendText -> simulator. Statuses flow
 *    back as webhooks as they would from Meta. Baseline: the same loop as direct function calls, no
 *    HTTP: sign, parseWebhook, mapNotification, match, build the send body.
 * 2. cloud.reply_latency.core.p99 / .p50: the same webhook into the whole core (createSwitchboard:
 *    journal, ingest, route, decide, outbox, sender; SQLite with the app's default fsync), against (1).
 *
 * Prints JSON lines to stdout; progress goes to stderr.
 *   npx tsx bench/cloud-api.bench.ts [N]
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSwitchboard } from '../src/core/app';
import { createFaqMatcher } from '../src/core/bot/faq/faq-matcher';
import { createLogger } from '../src/core/log/logger';
import { createFaqRepository } from '../src/core/store/repositories/faqs';
import { startWebhookReceiver } from '../src/core/testing/webhook-receiver';
import {
  createCloudApiProvider,
  type CloudApiProvider,
} from '../src/core/whatsapp/cloud-api/cloud-api-provider';
import { mapNotification, parseWebhook } from '../src/core/whatsapp/cloud-api/webhook';
import type { E164, WorkspaceId } from '../src/shared/types';
import { startGraphApiServer } from '../src/simulator/graph-api/index';

const N = Number(process.argv[2] ?? 400);
const WARM = 50;
const FAQS = 50;
const SHOP = '+2348090000001' as E164;
const HANDOFF = 'Thanks for your message. Someone from our team will reply to you here shortly.';

function log(text: string): void {
  process.stderr.write(`[cloud-api] ${text}\n`);
}

const faqs = Array.from({ length: FAQS }, (_, i) => ({
  id: `faq-${i}`,
  question: `How much is product number ${i}?`,
  phrasings: [`price of product ${i}`, `product ${i} how much`],
  answer: `Product ${i} costs ₦${(i + 1) * 100}. We deliver anywhere in Lagos within two days.`,
}));
const question = (i: number): string =>
  i % 3 === 0 ? `How much is product number ${i % FAQS}?` : `PRICE of product ${i % FAQS} abeg 🙏`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function matcherWithFaqs() {
  const matcher = createFaqMatcher();
  for (const f of faqs)
    matcher.upsert({ id: f.id, question: f.question, phrasings: f.phrasings, enabled: true });
  matcher.warmUp();
  const answers = new Map(faqs.map((f) => [f.id, f.answer]));
  return (text: string | null): string => {
    const [best] = text === null ? [] : matcher.match(text);
    return best === undefined ? HANDOFF : (answers.get(best.faqId) ?? HANDOFF);
  };
}

/** (1) Real HTTP both ways: the provider and a minimal answer loop. */
async function overHttp(count: number): Promise<number[]> {
  const sim = await startGraphApiServer({ statuses: { delayMs: 5 } });
  const number = sim.addNumber({ phone: SHOP });
  const provider = createCloudApiProvider({
    businessNumber: SHOP,
    workspaceId: 'ws-bench' as WorkspaceId,
    phoneNumberId: number.phoneNumberId,
    wabaId: number.wabaId,
    accessToken: number.accessToken,
    baseUrl: sim.url,
    logger: createLogger({ sinks: [], minLevel: 'info' }),
    healthIntervalMs: 0,
  });
  const answer = matcherWithFaqs();
  let outboxSeq = 0;
  provider.on('message', (m) => {
    void provider
      .sendText(m.chatId, answer(m.text), { messageId: `OUT-${++outboxSeq}`, quotedId: m.providerMessageId })
      .catch((error: unknown) => log(`send failed: ${String(error)}`));
  });
  const receiver = await startWebhookReceiver({
    appSecret: sim.appSecret,
    deliver: (notification) => {
      provider.handleWebhook(notification);
      return true;
    },
  });
  sim.setWebhookUrl(receiver.url);
  await provider.connect();
  const customer = sim.customer('+2348031234567', { name: 'Ada' });
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await customer.send(SHOP, question(i));
    await customer.waitForReplies(i + 1, 10_000);
    latencies.push(performance.now() - started);
  }
  await sim.idle();
  await provider.disconnect('bench over');
  await receiver.close();
  await sim.stop();
  return latencies;
}

/** Baseline: the same work as direct calls. */
function directCalls(count: number): number[] {
  const secret = 'bench-app-secret';
  const answer = matcherWithFaqs();
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const body = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '2348090000001', phone_number_id: '106540352242922' },
                  contacts: [{ profile: { name: 'Ada' }, wa_id: '2348031234567' }],
                  messages: [
                    {
                      from: '2348031234567',
                      id: `wamid.BENCH${i}`,
                      timestamp: String(Math.floor(Date.now() / 1000)),
                      type: 'text',
                      text: { body: question(i) },
                    },
                  ],
                },
              },
            ],
          },
        ],
      }).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    );
    const started = performance.now();
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const parsed = parseWebhook(body, signature, secret);
    if (!parsed.ok) throw new Error(parsed.message);
    const [message] = mapNotification(parsed.notification, { numberFor: () => SHOP }).messages;
    const request = JSON.stringify({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: message!.chatId,
      type: 'text',
      text: { body: answer(message!.text), preview_url: false },
      biz_opaque_callback_data: `OUT-${i}`,
      context: { message_id: message!.providerMessageId },
    });
    if (request.length === 0) throw new Error('unreachable');
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** (2) The whole core behind the webhook. */
async function throughCore(count: number): Promise<number[]> {
  const sim = await startGraphApiServer({ statuses: { delayMs: 5 } });
  const number = sim.addNumber({ phone: SHOP });
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-cloud-'));
  const app = await createSwitchboard({
    dataDir: join(dir, 'data'),
    minLogLevel: 'info',
    whatsapp: {
      livenessIntervalMs: 0,
      cloudApi: {
        baseUrl: sim.url,
        healthIntervalMs: 0,
        numberConfig: () => ({
          phoneNumberId: number.phoneNumberId,
          wabaId: number.wabaId,
          accessToken: number.accessToken,
        }),
      },
    },
  });
  const latencies: number[] = [];
  try {
    await app.start();
    const ws = await app.workspaces.create({ name: 'Bench Pharmacy' });
    await app.workspaces.updateSettings(ws.id, {
      greeting: { enabled: false },
      floodGuard: { enabled: false },
      pacing: { enabled: false },
    });
    await app.store.transaction(async (trx) => {
      let phrasing = 0;
      const repo = createFaqRepository(trx, () => `ph-${++phrasing}`);
      for (const f of faqs) {
        await repo.create(
          ws.id,
          f.id,
          { question: f.question, answer: f.answer, phrasings: f.phrasings, enabled: true },
          Date.now(),
        );
      }
    });
    const added = await app.workspaces.addNumber(ws.id, { number: SHOP, provider: 'cloud-api' });
    const connected = new Promise<void>((resolve) =>
      app.onConnectionEvent((e) => {
        if (e.type === 'state' && e.state.status === 'connected') resolve();
      }),
    );
    await app.connect(ws.id, added.id);
    await connected;
    const provider = app.connections.provider(ws.id, SHOP) as CloudApiProvider;
    const receiver = await startWebhookReceiver({
      appSecret: sim.appSecret,
      deliver: (notification) => {
        provider.handleWebhook(notification);
        return true;
      },
    });
    sim.setWebhookUrl(receiver.url);
    for (let i = 0; i < count; i++) {
      // A new customer each time: the flood guard is off, but a chat's replies stay in order.
      const customer = sim.customer(`+23481${String(20_000_000 + i).slice(-8)}`);
      const started = performance.now();
      await customer.send(SHOP, question(i));
      await customer.waitForReplies(1, 10_000);
      latencies.push(performance.now() - started);
    }
    await sim.idle();
    await receiver.close();
  } finally {
    await app.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return latencies;
}

function line(name: string, value: number, baseline: number): void {
  process.stdout.write(
    `${JSON.stringify({
      name,
      value: Math.round(value * 100) / 100,
      unit: 'ms',
      baseline: Math.round(baseline * 1000) / 1000,
      ratio: Math.round((value / baseline) * 10) / 10,
    })}\n`,
  );
}

async function main(): Promise<void> {
  log(`warming up (${WARM} messages each way)`);
  directCalls(WARM);
  await overHttp(WARM);
  const base = directCalls(N);
  const http = await overHttp(N);
  log(
    `${N} replies over HTTP: p50 ${percentile(http, 50).toFixed(2)} ms, p99 ${percentile(http, 99).toFixed(2)} ms, ` +
      `max ${Math.max(...http).toFixed(2)} ms; direct calls p50 ${percentile(base, 50).toFixed(3)} ms, ` +
      `p99 ${percentile(base, 99).toFixed(3)} ms`,
  );
  line('cloud.reply_latency.p99', percentile(http, 99), percentile(base, 99));
  line('cloud.reply_latency.p50', percentile(http, 50), percentile(base, 50));
  const core = await throughCore(N);
  log(
    `${N} replies through the core: p50 ${percentile(core, 50).toFixed(2)} ms, p99 ${percentile(core, 99).toFixed(2)} ms`,
  );
  line('cloud.reply_latency.core.p99', percentile(core, 99), percentile(http, 99));
  line('cloud.reply_latency.core.p50', percentile(core, 50), percentile(http, 50));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
