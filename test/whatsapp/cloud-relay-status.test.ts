// The webhook relay client's status and its queue, through the real core (real SQLite file, real Cloud
// API providers against the local Graph API server) and a small relay server on 127.0.0.1 that speaks
// src/shared/relay-protocol.ts and can refuse the token, fail, or be down. A notification for a number
// the workspace no longer has is kept as unroutable (its customer messages stored, once, before the ack)
// instead of blocking the numbers after it; one for a stored number that is not running is kept on the
// PC (acknowledged, so the other numbers go on) and handed to it, in order, when it runs.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSwitchboard, type Switchboard } from '../../src/core/app';
import { createCoreRuntime } from '../../src/core/handlers/runtime';
import { createFileKeySecretBox } from '../../src/core/secrets/file-key-secret-box';
import { createSyncStateRepository } from '../../src/core/store/repositories/sync-state';
import { createMemorySink } from '../../src/core/testing/memory-sink';
import { makeTempDir } from '../../src/core/testing/temp-files';
import type { CloudApiNumberConfig } from '../../src/core/whatsapp/cloud-api/cloud-api-provider';
import type { CloudRelayStatus } from '../../src/shared/cloud-contract';
import type { PhoneNumber } from '../../src/shared/dto';
import type { E164, WorkspaceId } from '../../src/shared/types';
import {
  startGraphApiServer,
  type GraphApiServer,
  type SimNumber,
} from '../../src/simulator/graph-api/index';
import { messagesNotification } from '../../src/simulator/graph-api/notifications';
import { FakeRelayServer, RELAY_TOKEN } from './fake-relay-server';

/** One inbound text, in Meta's envelope, as the central server stores each change. */
function textNotification(
  number: SimNumber,
  from: string,
  id: string,
  text: string,
  sentAt = Date.now(),
): unknown {
  return messagesNotification(number, [
    {
      contact: { profile: { name: 'Ada' }, wa_id: from },
      message: {
        from,
        id,
        timestamp: String(Math.floor(sentAt / 1000)),
        type: 'text',
        text: { body: text },
      },
    },
  ]);
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the webhook relay client: status and queue', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.reverse()) await fn();
    cleanups.length = 0;
  }, 30_000);

  async function setUp(numbers: string[]) {
    const sim: GraphApiServer = await startGraphApiServer();
    cleanups.push(() => sim.stop());
    const relay = new FakeRelayServer();
    await relay.listen();
    cleanups.push(() => relay.close());
    const { dir, cleanup } = makeTempDir('switchboard-relay-status-');
    cleanups.push(cleanup);
    const dataDir = join(dir, 'data');
    const secrets = createFileKeySecretBox({ keyPath: join(dir, 'secrets.key') });
    const configs = new Map<E164, CloudApiNumberConfig>();
    const sink = createMemorySink();
    const app: Switchboard = await createSwitchboard({
      dataDir,
      durability: 'normal',
      secrets,
      sinks: [sink],
      whatsapp: {
        livenessIntervalMs: 0,
        cloudApi: { baseUrl: sim.url, healthIntervalMs: 0, numberConfig: (n) => configs.get(n.e164) },
      },
      sync: { pusher: { idlePollMs: 60_000 } },
      cloudRelay: {
        waitSeconds: 1,
        backoff: { baseMs: 100, maxMs: 200, minMs: 50 },
        idleCheckMs: 100,
        refusedRetryMs: 150,
      },
    });
    const runtime = createCoreRuntime(app);
    cleanups.push(async () => {
      runtime.close();
      await app.close();
    });
    const changes: CloudRelayStatus[] = [];
    runtime.events.on('cloud.relayChanged', (status) => changes.push(status));
    const workspace = await app.workspaces.create({ name: 'Chidi Pharmacy' });
    const workspaceId: WorkspaceId = workspace.id;
    await app.workspaces.updateSettings(workspaceId, {
      greeting: { enabled: false },
      floodGuard: { enabled: false },
    });
    await app.start();
    const added: { simNumber: SimNumber; number: PhoneNumber }[] = [];
    for (const phone of numbers) {
      const simNumber = sim.addNumber({ phone });
      const number = await app.workspaces.addNumber(workspaceId, { number: phone, provider: 'cloud-api' });
      configs.set(number.e164, {
        phoneNumberId: simNumber.phoneNumberId,
        wabaId: simNumber.wabaId,
        accessToken: simNumber.accessToken,
      });
      await app.connect(workspaceId, number.id);
      added.push({ simNumber, number });
    }
    await waitUntil(
      () => added.every(({ number }) => app.connections.state(number.e164)?.status === 'connected'),
      'the Cloud numbers to connect',
    );
    const enroll = async () => {
      await createSyncStateRepository(app.store.db).save(
        workspaceId,
        {
          serverUrl: relay.url,
          centralWorkspaceId: 'central-ws-1',
          centralWorkspaceName: 'Chidi Pharmacy',
          tokenSealed: secrets.seal(RELAY_TOKEN),
          lastAckedSeq: 0,
        },
        Date.now(),
      );
      // What sync.enroll announces: the relay starts a poller for the workspace.
      await app.sync.setShareMessageText(workspaceId, false);
    };
    const status = () => runtime.handlers['cloud.relay']({ workspaceId });
    const inbound = async (id: string) =>
      (await app.store.db
        .selectFrom('messages')
        .select('business_number')
        .where('provider_message_id', '=', id)
        .where('direction', '=', 'in')
        .executeTakeFirst()) !== undefined;
    return { app, runtime, sim, relay, workspaceId, added, enroll, status, inbound, changes, sink, configs };
  }

  it('reports not enrolled, polling, refused, unreachable with its next retry, and deliveries', async () => {
    const t = await setUp(['+2348090000011']);
    expect((await t.status()).state).toBe('not-enrolled');
    await t.enroll();
    await waitUntil(async () => (await t.status()).state === 'polling', 'polling');
    expect((await t.status()).serverUrl).toBe(t.relay.url);

    const { simNumber } = t.added[0]!;
    t.relay.add(simNumber.phoneNumberId, textNotification(simNumber, '2348031110001', 'wamid.A1', 'Hello'));
    await waitUntil(() => t.inbound('wamid.A1'), 'the message to arrive');
    await waitUntil(async () => (await t.status()).delivered === 1, 'the delivery to be counted');
    const delivered = await t.status();
    expect(delivered.lastDeliveryAt).toBeGreaterThan(Date.now() - 10_000);
    await waitUntil(() => t.relay.acked === 1, 'the ack');

    t.relay.mode = 'refuse';
    await waitUntil(async () => (await t.status()).state === 'refused', 'refused');
    const refused = await t.status();
    expect(refused.problem).toContain('refused this business’s token (HTTP 401)');
    expect(refused.nextRetryAt).not.toBeNull();

    t.relay.mode = 'fail';
    await waitUntil(async () => (await t.status()).state === 'unreachable', 'unreachable (HTTP 503)');
    expect((await t.status()).problem).toBe('the central server answered HTTP 503');

    const port = t.relay.port;
    await t.relay.close();
    t.relay.mode = 'ok';
    await waitUntil(
      async () => (await t.status()).problem?.includes('connection was refused') === true,
      'unreachable (server down)',
    );
    const down = await t.status();
    expect(down.state).toBe('unreachable');
    expect(down.failures).toBeGreaterThanOrEqual(1);
    expect(down.nextRetryAt).toBeGreaterThan(Date.now() - 1_000);

    await t.relay.listen(port);
    await waitUntil(async () => (await t.status()).state === 'polling', 'polling again');
    const back = await t.status();
    expect(back).toMatchObject({ problem: null, failures: 0, nextRetryAt: null, delivered: 1 });

    // Every change was announced as an event, in order, with the same shape cloud.relay answers.
    const states = t.changes.map((c) => c.state);
    for (const state of ['polling', 'refused', 'unreachable'] as const) expect(states).toContain(state);
    expect(states.indexOf('refused')).toBeLessThan(states.lastIndexOf('unreachable'));
    expect(t.changes.at(-1)).toMatchObject({ state: 'polling', workspaceId: t.workspaceId });
  }, 40_000);

  it('a removed number’s webhook is kept as unroutable before its ack, once; the other numbers’ go on', async () => {
    const t = await setUp(['+2348090000021', '+2348090000022']);
    const [removed, kept] = t.added as [(typeof t.added)[0], (typeof t.added)[0]];
    // The owner removes the first number; Meta's webhooks for it are still on the central server.
    await t.app.connections.remove(t.workspaceId, removed.number.e164);
    await t.app.workspaces.removeNumber(t.workspaceId, removed.number.id);
    t.configs.delete(removed.number.e164);

    t.relay.add(
      removed.simNumber.phoneNumberId,
      textNotification(removed.simNumber, '2348031110002', 'wamid.R1', 'Anyone there?'),
    );
    t.relay.add(
      kept.simNumber.phoneNumberId,
      textNotification(kept.simNumber, '2348031110003', 'wamid.K1', 'Hi'),
    );
    const unroutable = () =>
      t.app.store.db
        .selectFrom('unroutable_messages')
        .selectAll()
        .where('provider_message_id', '=', 'wamid.R1')
        .execute();
    await t.enroll();

    await waitUntil(() => t.inbound('wamid.K1'), 'the kept number’s message');
    await waitUntil(() => t.relay.acked === 2, 'both acknowledged');
    expect(await t.inbound('wamid.R1')).toBe(false);
    // Acknowledged, and the customer's message is on this PC: kept unanswered, never lost.
    const rows = await unroutable();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      business_number: removed.number.e164,
      chat_id: '2348031110002',
      sender_wa_id: '2348031110002',
      sender_name: 'Ada',
      text: 'Anyone there?',
    });
    const status = await t.status();
    expect(status).toMatchObject({ state: 'polling', keptUnroutable: 1, delivered: 1 });
    expect(status.lastKeptUnroutable).toMatchObject({
      phoneNumberId: removed.simNumber.phoneNumberId,
      reason: expect.stringContaining('removed') as unknown,
    });
    await t.app.logger.flush();
    const logged = t.sink.ofType('cloud.relay_unroutable');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'warn',
      workspaceId: t.workspaceId,
      message: expect.stringContaining('kept as unroutable') as unknown,
      meta: {
        seq: 1,
        phoneNumberId: removed.simNumber.phoneNumberId,
        messages: 1,
        statuses: 0,
        kept: 1,
        repeats: 0,
      },
    });

    // The server delivers the same seqs again (the client crashed after storing, before its ack).
    t.relay.redeliver();
    await waitUntil(() => t.sink.ofType('cloud.relay_unroutable').length === 2, 'the redelivery');
    await waitUntil(() => t.relay.acked === 2, 'acknowledged again');
    expect(await unroutable()).toHaveLength(1);
    expect(
      await t.app.store.db
        .selectFrom('unroutable_messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ).toMatchObject({ n: 1 });
    expect(t.sink.ofType('cloud.relay_unroutable')[1]).toMatchObject({
      level: 'info',
      meta: { seq: 1, kept: 0, repeats: 1 },
    });
    expect((await t.status()).keptUnroutable).toBe(1);
  }, 30_000);

  it('a number that is not running: its webhooks are kept here and acknowledged; the others go on; it gets them in order when it runs', async () => {
    const t = await setUp(['+2348090000031', '+2348090000032']);
    const [later, other] = t.added as [(typeof t.added)[0], (typeof t.added)[0]];
    // Stored, but its provider is not running (disconnected, or being restarted with a new token).
    await t.app.connections.remove(t.workspaceId, later.number.e164);
    t.relay.add(
      later.simNumber.phoneNumberId,
      textNotification(later.simNumber, '2348031110004', 'wamid.L1', 'One'),
    );
    t.relay.add(
      other.simNumber.phoneNumberId,
      textNotification(other.simNumber, '2348031110005', 'wamid.O1', 'Two'),
    );
    t.relay.add(
      later.simNumber.phoneNumberId,
      textNotification(later.simNumber, '2348031110004', 'wamid.L2', 'Three'),
    );
    const held = () =>
      t.app.store.db
        .selectFrom('cloud_relay_held' as never)
        .select(['seq' as never])
        .orderBy('id' as never)
        .execute() as Promise<{ seq: number }[]>;
    await t.enroll();

    // The other number's customer is answered; nothing waits on the central server.
    await waitUntil(() => t.inbound('wamid.O1'), 'the other number’s message');
    await waitUntil(() => t.relay.acked === 3, 'all three acknowledged');
    expect(await t.inbound('wamid.L1')).toBe(false);
    expect(await held()).toEqual([{ seq: 1 }, { seq: 3 }]);
    await waitUntil(async () => (await t.status()).held.length === 1, 'the held count');
    const waiting = await t.status();
    expect(waiting.state).toBe('polling');
    expect(waiting.held).toEqual([
      {
        phoneNumberId: later.simNumber.phoneNumberId,
        webhooks: 2,
        messages: 2,
        statuses: 0,
        since: expect.any(Number) as unknown,
      },
    ]);
    expect(waiting.keptUnroutable).toBe(0);
    await t.app.logger.flush();
    expect(t.sink.ofType('cloud.relay_held').map((e) => (e.meta as { seq: number }).seq)).toEqual([1, 3]);

    // The client crashed after keeping them, before its ack: the server sends them again; still once.
    t.relay.redeliver();
    await waitUntil(() => t.relay.acked === 3, 'acknowledged again');
    await new Promise((r) => setTimeout(r, 200));
    expect(await held()).toEqual([{ seq: 1 }, { seq: 3 }]);

    // Newer messages for the other number still go straight through.
    t.relay.add(
      other.simNumber.phoneNumberId,
      textNotification(other.simNumber, '2348031110005', 'wamid.O2', 'Four'),
    );
    await waitUntil(() => t.inbound('wamid.O2'), 'the other number’s second message');
    expect(await held()).toHaveLength(2);

    // The number runs again: what was kept reaches it at once (not at the next poll), in order.
    await t.app.connect(t.workspaceId, later.number.id);
    await waitUntil(() => t.inbound('wamid.L2'), 'the kept messages');
    const order = await t.app.store.db
      .selectFrom('messages')
      .select('provider_message_id')
      .where('business_number', '=', later.number.e164)
      .where('direction', '=', 'in')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(order.map((m) => m.provider_message_id)).toEqual(['wamid.L1', 'wamid.L2']);
    expect(await held()).toEqual([]);
    await waitUntil(async () => (await t.status()).held.length === 0, 'nothing held');
    await t.app.logger.flush();
    expect(t.sink.ofType('cloud.relay_released')).toHaveLength(1);
    expect(t.sink.ofType('cloud.relay_released')[0]).toMatchObject({
      workspaceId: t.workspaceId,
      meta: { phoneNumberId: later.simNumber.phoneNumberId, released: 2 },
    });
  }, 30_000);

  it('what was kept for a number that is then removed is kept as unroutable, never answered', async () => {
    const t = await setUp(['+2348090000041', '+2348090000042']);
    const [gone, other] = t.added as [(typeof t.added)[0], (typeof t.added)[0]];
    await t.app.connections.remove(t.workspaceId, gone.number.e164);
    t.relay.add(
      gone.simNumber.phoneNumberId,
      textNotification(gone.simNumber, '2348031110006', 'wamid.G1', 'Still open?'),
    );
    await t.enroll();
    await waitUntil(() => t.relay.acked === 1, 'acknowledged');
    await waitUntil(async () => (await t.status()).held.length === 1, 'held');

    await t.app.workspaces.removeNumber(t.workspaceId, gone.number.id);
    t.configs.delete(gone.number.e164);
    // The next webhook (for the number that stays) makes the relay look again.
    t.relay.add(
      other.simNumber.phoneNumberId,
      textNotification(other.simNumber, '2348031110007', 'wamid.K2', 'Hello'),
    );
    await waitUntil(() => t.inbound('wamid.K2'), 'the other number’s message');
    await waitUntil(async () => (await t.status()).held.length === 0, 'nothing held');
    const kept = await t.app.store.db
      .selectFrom('unroutable_messages')
      .select(['provider_message_id', 'text'])
      .execute();
    expect(kept).toEqual([{ provider_message_id: 'wamid.G1', text: 'Still open?' }]);
    expect(await t.inbound('wamid.G1')).toBe(false);
    expect((await t.status()).keptUnroutable).toBe(1);
  }, 30_000);
  it('a customer message that arrives more than 24 hours late goes to a person: no reply Meta would refuse', async () => {
    const t = await setUp(['+2348090000051']);
    const [shop] = t.added as [(typeof t.added)[0]];
    // The PC was off for a day and a half: the relay kept the webhook all that time.
    const sentAt = Date.now() - 30 * 60 * 60 * 1000;
    t.relay.add(
      shop.simNumber.phoneNumberId,
      textNotification(shop.simNumber, '2348031110008', 'wamid.LATE', 'What time do you open?', sentAt),
    );
    await t.enroll();
    await waitUntil(() => t.inbound('wamid.LATE'), 'the late message');
    const handedOff = async () =>
      (
        await t.app.store.db
          .selectFrom('conversations')
          .select('handoff_reason')
          .where('chat_id', '=', '2348031110008')
          .executeTakeFirst()
      )?.handoff_reason ?? null;
    await waitUntil(async () => (await handedOff()) !== null, 'the hand-off');
    expect(await handedOff()).toBe('handoff-stale');
    await t.app.logger.flush();
    const decided = t.sink.ofType('message.decided').find((e) => e.message.includes('2348031110008'));
    expect(decided?.meta).toMatchObject({ reason: 'handoff-stale+window-closed', actions: ['handoff'] });
    await new Promise((r) => setTimeout(r, 300));
    // Nothing was sent to the customer (no hand-off notice, no answer): Meta would refuse it (131047).
    expect(t.sim.requests.filter((r) => r.kind === 'send')).toEqual([]);
    const outbox = await t.app.store.db.selectFrom('outbox').select('id').execute();
    expect(outbox).toEqual([]);
  }, 30_000);
});
