// Demo mode (`npm run serve -- --demo`): a local WhatsApp server, a simulated phone that links by QR
// or code, and a few customers who write to the shop now and then. A newcomer sees the whole flow with
// no phone and no internet. Only ever loaded in demo mode: trustSimulator() makes this process trust
// the simulator's certificates, which must never happen in a process that talks to the real WhatsApp.
//
// It also runs the local Graph API server with one official (Cloud API) number, so "Connect an
// official number" can be tried too. That server is plain http on 127.0.0.1 and needs no trust; the
// host makes it demo mode's default Graph address (as Baileys' is the local WhatsApp server), so a
// token typed in demo mode never leaves this computer. Its webhooks go, signed with the simulator's app
// secret, to the host's own `/webhooks/whatsapp` (webhook-route.ts): exactly the path a reseller's
// server takes Meta's on, with the same checks, not through a central server.
import type { DemoCloudNumber } from '../shared/cloud-contract';
import type { E164 } from '../shared/types';
import {
  DEFAULT_TEMPLATES,
  NEW_STOCK_TEMPLATE,
  ORDER_SHIPPED_TEMPLATE,
  startGraphApiServer,
  type GraphApiServer,
} from '../simulator/graph-api/index';
import { startWhatsAppServer, trustSimulator, type WhatsAppServer } from '../simulator/index';
import type { DemoController } from './host';

export interface DemoCustomer {
  phone: string;
  name: string;
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { phone: '+2348031110001', name: 'Chioma Okafor' },
  { phone: '+2348052220002', name: 'Tunde Bakare' },
  { phone: '+2347063330003', name: 'Aisha Bello' },
  { phone: '+2348094440004', name: 'Emeka Nwosu' },
];

/** What the customers ask: most match the demo FAQs, some need a person. */
export const DEMO_MESSAGES: readonly string[] = [
  'What time do you open?',
  'Do you deliver?',
  'Can I pay by transfer?',
  'Good afternoon, do you have paracetamol in stock?',
  'How much is delivery to Lekki?',
  'I want to speak to a human please',
];

export const DEMO_FAQS = [
  {
    question: 'What time do you open?',
    answer: 'We are open Monday to Saturday, 8am to 6pm. On Sundays we open from 12pm to 4pm.',
    phrasings: ['When do you open?', 'Opening hours', 'Are you open today?'],
  },
  {
    question: 'Do you deliver?',
    answer:
      'Yes! We deliver within Lagos the same day for orders placed before 2pm. Delivery starts at ₦1,500.',
    phrasings: ['Do you do delivery?', 'Can you deliver to me?'],
  },
  {
    question: 'Can I pay by transfer?',
    answer: 'Yes, we accept bank transfer, POS and cash. We send the account details when you order.',
    phrasings: ['Do you accept transfer?', 'How do I pay?'],
  },
] as const;

/**
 * The demo's official number. Fixed ids and token: with `--data-dir` the number connected in an earlier
 * demo run still matches the simulator (whose state lives in memory) after a restart.
 */
export const DEMO_CLOUD = {
  e164: '+2348090000555' as E164,
  verifiedName: 'Demo Pharmacy (official)',
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  accessToken: 'EAAGdemo0000000000sim00000000000000000000',
  appSecret: 'demo-app-secret-not-for-real-use',
  verifyToken: 'demo-verify-token',
} as const;

export interface DemoOptions {
  /** Simulated customers write every `intervalMs` (randomised ±50%). 0 turns them off. Default 25 s. */
  intervalMs?: number;
  /** Delay before a newly connected number gets its first customer message. Default 4 s. */
  firstMessageAfterMs?: number;
  /** Give each new workspace a few FAQs so answers can be seen at once. Default true. */
  seedFaqs?: boolean;
  log?: (line: string) => void;
}

export type Demo = DemoController & {
  readonly server: WhatsAppServer;
  /** The local Graph API server of the demo's official number. */
  readonly graph: GraphApiServer;
};

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const server = await startWhatsAppServer();
  trustSimulator(server);
  const intervalMs = options.intervalMs ?? 25_000;
  const log = options.log ?? (() => undefined);
  const graph = await startDemoGraph();
  const cloudNumber: DemoCloudNumber = { ...DEMO_CLOUD, graphBaseUrl: graph.url };
  // No callback URL yet: the host is not listening. attach() sets it; until then (and while the host
  // answers 404 before the number has its app secret, or 503 before its provider runs) the simulator
  // keeps each webhook and retries it, as Meta does, so nothing a customer wrote is lost.
  const customers = createDemoCustomers({
    server,
    graph,
    intervalMs,
    firstAfterMs: options.firstMessageAfterMs ?? 4_000,
    log,
  });
  const unsubscribers: (() => void)[] = [];

  return {
    server,
    graph,
    cloudNumber,
    waWebSocketUrl: server.url,
    media: { host: server.media.hostname, ca: server.mediaCa },
    scanQr: (e164, qr) => server.scanQr(qr, e164, { name: 'Demo phone' }),
    enterPairingCode: (e164, code) => server.enterPairingCode(e164, code, { name: 'Demo phone' }),
    attach({ events, handlers, webhookUrl }) {
      graph.setWebhookUrl(webhookUrl);
      unsubscribers.push(customers.follow(events));
      if (options.seedFaqs === false) return;
      unsubscribers.push(seedDemoFaqs(events, handlers, log));
    },
    async stop() {
      customers.stop();
      for (const off of unsubscribers.splice(0)) off();
      await graph.stop();
      await server.stop();
    },
  };
}

/** The local Graph API server with the demo's official number and its templates. */
async function startDemoGraph(): Promise<GraphApiServer> {
  const graph = await startGraphApiServer({ appSecret: DEMO_CLOUD.appSecret, statuses: { delayMs: 200 } });
  graph.addNumber({
    phone: DEMO_CLOUD.e164,
    phoneNumberId: DEMO_CLOUD.phoneNumberId,
    wabaId: DEMO_CLOUD.wabaId,
    verifiedName: DEMO_CLOUD.verifiedName,
    accessToken: DEMO_CLOUD.accessToken,
  });
  // Besides the plain ones, templates with an image header and a link button, and with a header
  // value: what a shop sends to a customer whose 24 hours have passed, to try in the composer.
  graph.setTemplates(DEMO_CLOUD.wabaId, [...DEFAULT_TEMPLATES, NEW_STOCK_TEMPLATE, ORDER_SHIPPED_TEMPLATE]);
  return graph;
}

/**
 * The simulated customers: each connected number gets a first message soon after it connects, then
 * one now and then, in turn from DEMO_CUSTOMERS and DEMO_MESSAGES.
 */
function createDemoCustomers(deps: {
  server: WhatsAppServer;
  graph: GraphApiServer;
  intervalMs: number;
  firstAfterMs: number;
  log: (line: string) => void;
}) {
  const { server, graph, intervalMs, log } = deps;
  const connected = new Set<E164>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let turn = 0;
  let stopped = false;

  const later = (fn: () => void, ms: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const sendOne = (business: E164): void => {
    const customer = DEMO_CUSTOMERS[turn % DEMO_CUSTOMERS.length]!;
    const text = DEMO_MESSAGES[turn % DEMO_MESSAGES.length]!;
    turn += 1;
    const sent =
      business === DEMO_CLOUD.e164
        ? graph.customer(customer.phone, { name: customer.name }).send(business, text)
        : server.contact(customer.phone, { name: customer.name }).send(business, text);
    sent.then(
      () => log(`${customer.name} -> ${business}: ${text}`),
      (error: unknown) => log(`a demo customer could not write to ${business}: ${String(error)}`),
    );
  };

  const tick = (): void => {
    for (const business of connected) sendOne(business);
    later(tick, intervalMs * (0.5 + Math.random()));
  };
  if (intervalMs > 0) later(tick, intervalMs);

  return {
    /** Customers write to the numbers that are connected. */
    follow: (events: Parameters<DemoController['attach']>[0]['events']): (() => void) =>
      events.on('connection.changed', ({ e164, status }) => {
        if (status !== 'connected') {
          connected.delete(e164);
          return;
        }
        if (connected.has(e164)) return;
        connected.add(e164);
        if (intervalMs > 0) later(() => connected.has(e164) && sendOne(e164), deps.firstAfterMs);
      }),
    stop(): void {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** Each new workspace gets a few FAQs, so answers can be seen at once. */
function seedDemoFaqs(
  events: Parameters<DemoController['attach']>[0]['events'],
  handlers: Parameters<DemoController['attach']>[0]['handlers'],
  log: (line: string) => void,
): () => void {
  const seeded = new Set<string>();
  return events.on('workspace.changed', ({ workspaceId }) => {
    if (seeded.has(workspaceId)) return;
    seeded.add(workspaceId);
    void (async () => {
      const existing = await handlers['faq.list']({ workspaceId, includeDisabled: true });
      if (existing.length > 0) return;
      for (const faq of DEMO_FAQS) {
        await handlers['faq.create']({
          workspaceId,
          ...faq,
          phrasings: [...faq.phrasings],
          enabled: true,
        });
      }
    })().catch((error: unknown) => log(`could not add the demo FAQs: ${String(error)}`));
  });
}
