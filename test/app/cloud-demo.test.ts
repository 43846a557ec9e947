// Demo mode's official number and the Cloud number card's relay status, in real Chromium against the
// headless host: "Use the demo number" fills in the simulated number, the live check passes against
// the local Graph API server, a simulated customer writes to it and the bot's answer goes out through
// that server. Then the workspace is enrolled with a central server that is down, refuses the token,
// and finally works: the card says each time what is happening and what to do.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFileKeySecretBox } from '../../src/core/secrets/file-key-secret-box';
import { createSyncStateRepository } from '../../src/core/store/repositories/sync-state';
import { newAccessToken } from '../../src/server/access-token';
import { DEMO_CLOUD, DEMO_FAQS, startDemo, type Demo } from '../../src/server/demo';
import type { HeadlessHost } from '../../src/server/host';
import { messagesNotification } from '../../src/simulator/graph-api/notifications';
import type { CloudRelayStatus } from '../../src/shared/contract';
import type { Workspace } from '../../src/shared/dto';
import type { WorkspaceId } from '../../src/shared/types';
import { FakeRelayServer, RELAY_TOKEN } from '../whatsapp/fake-relay-server';
import {
  closeAll,
  hasChromium,
  hostApi,
  openPage,
  screenshot,
  shotOnFailure,
  SHOTS,
  signIn,
  startTestHost,
  tempDir,
  waitUntil,
} from './helpers';

let demo: Demo;
let host: HeadlessHost;
let relay: FakeRelayServer;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: WorkspaceId;
const token = newAccessToken();

const api = hostApi(() => host.url, token);
const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });
const card = () => page.locator(`[data-e164="${DEMO_CLOUD.e164}"]`);
const relayLine = () => card().getByTestId('cloud-relay');

/** One customer's text to the demo's official number, as the central server relays Meta's webhook. */
function customerWrites(from: string, id: string, text: string): unknown {
  return messagesNotification({ ...DEMO_CLOUD, digits: '2348090000555' }, [
    {
      contact: { profile: { name: 'Bola' }, wa_id: from },
      message: {
        from,
        id,
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'text',
        text: { body: text },
      },
    },
  ]);
}

describe.skipIf(!hasChromium)('demo mode’s official number and the relay status on its card', () => {
  beforeAll(async () => {
    dir = tempDir('cloud-demo');
    demo = await startDemo({ intervalMs: 60_000, firstMessageAfterMs: 300, seedFaqs: true });
    host = await startTestHost(dir, token, {
      demo,
      // Fixed, short retries so each state stays on screen long enough to look at, then moves on.
      cloudRelay: {
        waitSeconds: 1,
        backoff: { baseMs: 2_500, maxMs: 2_500, minMs: 2_500 },
        refusedRetryMs: 2_500,
        idleCheckMs: 500,
        random: () => 1,
      },
    });
    relay = new FakeRelayServer();
    await relay.listen();
    await relay.close(); // its port is known; the server is down for now
    workspaceId = (
      await api<{ workspace: Workspace }>('workspace.create', {
        name: 'Mama Nkechi Pharmacy',
        botMode: 'faq',
      })
    ).workspace.id;
    await waitUntil(
      async () => (await api<unknown[]>('faq.list', { workspaceId })).length === DEMO_FAQS.length,
      'the demo FAQs',
    );
    ({ context, page } = await openPage(dir));
    await signIn(page, host.url, token);
  }, 90_000);

  afterAll(() => closeAll({ context, host, demo, servers: [relay], dir }));

  afterEach(shotOnFailure(() => page, 'failed'));

  it('connects the demo’s official number with one button, and a customer is answered through the Graph API', async () => {
    await page.getByRole('button', { name: 'Connect an official number' }).click();
    const form = page.getByRole('form', { name: 'Connect an official number' });
    await form.getByRole('button', { name: 'Use the demo number' }).click();
    expect(await form.getByLabel('Phone number ID').inputValue()).toBe(DEMO_CLOUD.phoneNumberId);
    expect(await form.getByLabel('WhatsApp Business Account ID').inputValue()).toBe(DEMO_CLOUD.wabaId);
    await form.screenshot({ path: join(SHOTS, 'cloud-demo-01-form.png') });
    await form.getByRole('button', { name: 'Check and connect' }).click();
    const result = page.getByRole('region', { name: 'Connect an official number' });
    await poll(() => result.getByRole('status').textContent()).toContain('Connected.');
    expect(await result.locator('[data-fact="verified-name"]').textContent()).toBe(DEMO_CLOUD.verifiedName);
    await result.getByRole('button', { name: 'Done' }).click();

    await poll(() => card().locator('.badge').textContent()).toBe('Connected');
    await poll(() => relayLine().textContent()).toContain('straight to this computer');
    // The demo's first customer writes 0.3 s after the number connected: a greeting, then the FAQ's answer.
    const customer = demo.graph.customer('+2348031110001');
    // (the greeting and the answer arrive as one message)
    await poll(() =>
      Promise.resolve(customer.replies.some((r) => r.text.endsWith(DEMO_FAQS[0].answer))),
    ).toBe(true);
    expect(customer.replies.every((r) => r.from === DEMO_CLOUD.e164)).toBe(true);
    expect(
      demo.graph.requests.some((r) => r.kind === 'send' && r.phoneNumberId === DEMO_CLOUD.phoneNumberId),
    ).toBe(true);
    await poll(() => page.locator('.message-list__item').first().textContent()).toContain(
      'What time do you open?',
    );
    await screenshot(page, 'cloud-demo-02-home');
  }, 40_000);

  it('shows the relay unreachable with its next retry, then refused with what to do, then working', async () => {
    // Enrolled with a central server (written as sync.enroll would) whose address answers nothing.
    await createSyncStateRepository(host.app.store.db).save(
      workspaceId,
      {
        serverUrl: relay.url,
        centralWorkspaceId: 'central-ws-1',
        centralWorkspaceName: 'Mama Nkechi Pharmacy',
        tokenSealed: createFileKeySecretBox({ dataDir: join(dir, 'data') }).seal(RELAY_TOKEN),
        lastAckedSeq: 0,
      },
      Date.now(),
    );
    await host.app.sync.setShareMessageText(workspaceId, false); // announces the enrollment

    await poll(() => relayLine().getAttribute('data-state')).toBe('unreachable');
    expect(await relayLine().textContent()).toMatch(
      /Cannot reach the central server \(127\.0\.0\.1:\d+\): the connection was refused.*Customers’ messages wait there safely\. Trying again in \d s\./,
    );
    await card().screenshot({ path: join(SHOTS, 'cloud-demo-03-relay-unreachable.png') });

    relay.mode = 'refuse';
    await relay.listen(relay.port);
    await poll(() => relayLine().getAttribute('data-state')).toBe('refused');
    expect(await relayLine().textContent()).toContain(
      'Enroll this business again in Settings › Central sync, with a new code from your central team.',
    );
    await expect(relayLine().getByRole('alert').isVisible()).resolves.toBe(true);
    await card().screenshot({ path: join(SHOTS, 'cloud-demo-04-relay-refused.png') });

    relay.mode = 'ok';
    relay.add(
      DEMO_CLOUD.phoneNumberId,
      customerWrites('2348031110009', 'wamid.relayed-1', 'Do you deliver?'),
    );
    await poll(() => relayLine().getAttribute('data-state')).toBe('polling');
    await poll(() => relayLine().textContent()).toContain('(1 since Switchboard started)');
    expect(await relayLine().textContent()).toMatch(
      /Receiving customers’ messages through the central server \(127\.0\.0\.1:\d+\)\./,
    );
    await poll(() => Promise.resolve(relay.acked)).toBe(1);
    const status = await api<CloudRelayStatus>('cloud.relay', { workspaceId });
    expect(status).toMatchObject({ state: 'polling', delivered: 1, failures: 0, problem: null });
    await card().screenshot({ path: join(SHOTS, 'cloud-demo-05-relay-working.png') });
  }, 60_000);
  it('while the number is not running, its customers’ messages are kept on this computer, then answered', async () => {
    // As while "New token" restarts it: the number's provider is stopped for a moment.
    await host.app.connections.remove(workspaceId, DEMO_CLOUD.e164);
    relay.add(
      DEMO_CLOUD.phoneNumberId,
      customerWrites('2348031110010', 'wamid.relayed-2', 'What time do you open?'),
    );
    relay.add(
      DEMO_CLOUD.phoneNumberId,
      customerWrites('2348031110010', 'wamid.relayed-3', 'Do you deliver?'),
    );
    const held = () => card().getByTestId('cloud-relay-held');
    await poll(() => held().textContent()).toContain(
      '2 customer messages wait on this computer for this number',
    );
    expect(await held().textContent()).toContain('answered in order as soon as it is back on');
    // Kept here, so the central server has nothing left waiting.
    await poll(() => Promise.resolve(relay.acked)).toBe(3);
    await card().screenshot({ path: join(SHOTS, 'cloud-demo-06-relay-held.png') });

    const profile = await host.app.store.db
      .selectFrom('phone_numbers')
      .select('id')
      .where('e164', '=', DEMO_CLOUD.e164)
      .executeTakeFirstOrThrow();
    await host.app.connect(workspaceId, profile.id);
    await poll(() => held().count()).toBe(0);
    // Handed to the number in the order the customer wrote (the relay's own customers are not the
    // simulator's, so Meta's simulator would refuse a free-form reply to them: the inbound is the test).
    const inbound = () =>
      host.app.store.db
        .selectFrom('messages')
        .select('provider_message_id')
        .where('chat_id', '=', '2348031110010')
        .where('direction', '=', 'in')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    await poll(async () => (await inbound()).map((m) => m.provider_message_id)).toEqual([
      'wamid.relayed-2',
      'wamid.relayed-3',
    ]);
    const status = await api<CloudRelayStatus>('cloud.relay', { workspaceId });
    expect(status.held).toEqual([]);
  }, 60_000);
});
