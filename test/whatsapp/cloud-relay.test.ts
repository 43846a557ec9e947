// The webhook relay end to end, on SQLite and PostgreSQL: the local Graph API server POSTs signed
// webhooks (with Meta's retries) to the real central server; the real core, enrolled with central sync
// and holding a Cloud API number, long-polls them and answers from its FAQs. The central server goes
// down while Meta retries, the desktop is off for an hour of fake time, and afterwards every customer
// message is answered exactly once, in order per chat.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CentralDatabase } from '../../src/central/db/open';
import { newAdminToken } from '../../src/central/secrets';
import { createCentralServer, type CentralServer } from '../../src/central/server';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/central/testing/databases';
import { createSwitchboard } from '../../src/core/app';
import { createFaqRepository } from '../../src/core/store/repositories/faqs';
import { makeTempDir } from '../../src/core/testing/temp-files';
import type { CloudApiNumberConfig } from '../../src/core/whatsapp/cloud-api/cloud-api-provider';
import type { CreateEnrollmentResponse } from '../../src/shared/sync-protocol';
import type { E164, WorkspaceId } from '../../src/shared/types';
import { startGraphApiServer, type GraphApiServer } from '../../src/simulator/graph-api/index';
import { wrapCore, type Core } from './harness';

const SHOP = '+2348090000001' as E164;
const HOUR = 3_600_000;
const FAQS = [
  ['What are your opening hours?', 'We are open 8am to 6pm, Monday to Saturday.'],
  ['Do you deliver to Yaba?', 'Yes, we deliver to Yaba for 1,500 naira.'],
  ['How much is paracetamol?', 'Paracetamol is 800 naira a pack.'],
] as const;
const NO_LIMITS = { ratePerSecond: 1_000_000, burst: 1_000_000 };

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(TEST_DIALECTS)('Cloud API webhooks through the central relay (%s)', (kind) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.reverse()) await fn();
    cleanups.length = 0;
  }, 30_000);

  it('relay down while Meta retries, desktop off an hour: every message answered once, in order per chat', async () => {
    // Central server (restartable on the same port and database).
    const test: TestDatabase = await openTestDatabase(kind);
    cleanups.push(() => test.cleanup());
    const database: CentralDatabase = test.database;
    const adminToken = newAdminToken();
    const secretKey = randomBytes(32);
    let central: CentralServer | undefined;
    const startCentral = async (port: number) => {
      central = createCentralServer({
        database,
        adminToken,
        secretKey,
        rateLimits: { ingest: NO_LIMITS, anonymous: NO_LIMITS },
      });
      return central.listen(port, '127.0.0.1');
    };
    const { port, url } = await startCentral(0);
    cleanups.push(() => central?.close());
    const admin = async <T>(path: string, body: unknown): Promise<T> => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as T;
    };

    // Meta, with its retries.
    const sim: GraphApiServer = await startGraphApiServer({
      webhookUrl: `${url}/webhooks/whatsapp`,
      webhooks: { retryBaseMs: 100, retryMaxMs: 400, maxAttempts: 10_000 },
      statuses: { delayMs: 20 },
    });
    cleanups.push(() => sim.stop());
    const number = sim.addNumber({ phone: SHOP, verifiedName: 'Chidi Pharmacy' });

    // The central admin: a workspace with its enrollment code, and the Cloud number routed to it.
    const enrollment = await admin<CreateEnrollmentResponse>('/api/admin/enrollments', {
      workspaceName: 'Chidi Pharmacy',
      validForHours: 24,
    });
    await admin('/api/admin/cloud-numbers', {
      phoneNumberId: number.phoneNumberId,
      workspaceId: enrollment.workspaceId,
      appSecret: sim.appSecret,
      verifyToken: 'chidi-verify-token',
    });

    // The desktop: the real core, its clock the simulator's (fake time for both).
    const { dir, cleanup } = makeTempDir('switchboard-cloud-relay-');
    cleanups.push(cleanup);
    const stored = new Map<E164, CloudApiNumberConfig>();
    const startCore = async (): Promise<Core> => {
      const app = await createSwitchboard({
        dataDir: join(dir, 'data'),
        durability: 'normal',
        clock: sim.clock,
        whatsapp: {
          livenessIntervalMs: 0,
          cloudApi: { baseUrl: sim.url, healthIntervalMs: 0, numberConfig: (n) => stored.get(n.e164) },
        },
        sync: { pusher: { idlePollMs: 60_000 } },
        cloudRelay: { waitSeconds: 2, backoff: { baseMs: 100, maxMs: 400, minMs: 50 }, idleCheckMs: 100 },
      });
      const core = wrapCore(app);
      cleanups.push(() => core.close());
      await app.start();
      return core;
    };

    let core = await startCore();
    const ws = await core.app.workspaces.create({ name: 'Chidi Pharmacy' });
    const workspaceId: WorkspaceId = ws.id;
    await core.app.workspaces.updateSettings(workspaceId, {
      greeting: { enabled: false },
      floodGuard: { enabled: false },
      pacing: { enabled: false, retryBaseMs: 100, retryMaxMs: 200, maxAttempts: 5 },
    });
    await core.app.store.transaction(async (trx) => {
      let n = 0;
      for (const [question, answer] of FAQS) {
        n++;
        await createFaqRepository(trx, () => `phrasing-${n}`).create(
          workspaceId,
          `faq-${n}`,
          { question, answer, phrasings: [question], enabled: true },
          sim.clock.now(),
        );
      }
    });
    await core.app.sync.enroll(workspaceId, url, enrollment.code);
    const added = await core.app.workspaces.addNumber(workspaceId, { number: SHOP, provider: 'cloud-api' });
    stored.set(added.e164, {
      phoneNumberId: number.phoneNumberId,
      wabaId: number.wabaId,
      accessToken: number.accessToken,
    });
    await core.app.connect(workspaceId, added.id);
    await core.waitForStatus(added.e164, 'connected');

    const ada = sim.customer('+2348031110001');
    const bayo = sim.customer('+2348031110002');
    const sent = new Map<string, string[]>([
      [ada.phone, []],
      [bayo.phone, []],
    ]);
    const ask = async (customer: typeof ada, faq: number) => {
      await customer.send(SHOP, FAQS[faq]![0]);
      sent.get(customer.phone)!.push(FAQS[faq]![1]);
    };

    // Live: through the relay at once.
    await ask(ada, 0);
    await ada.waitForReplies(1);

    // The desktop is off; the central server takes the webhooks and keeps them.
    await core.close();
    // One webhook settled before the next: Meta does not promise webhook order, so the order the central
    // server committed them in is the order "in order" can mean.
    for (const faq of [1, 2]) {
      await ask(ada, faq);
      await sim.idle();
      await ask(bayo, faq);
      await sim.idle();
    }

    // The central server goes down too; Meta keeps retrying.
    await central!.close();
    await ask(ada, 0);
    await ask(bayo, 0);
    await waitUntil(
      () => sim.deliveries.filter((d) => d.state === 'pending' && d.results.length >= 2).length >= 2,
      'Meta retrying',
    );
    sim.clock.advance(HOUR);

    // Both come back.
    await startCentral(port);
    await sim.idle();
    expect(sim.deliveries.every((d) => d.state === 'delivered')).toBe(true);
    // A late duplicate from Meta changes nothing.
    sim.replay(sim.deliveries[2]);
    await sim.idle();
    core = await startCore();

    await ada.waitForReplies(4, 20_000);
    await bayo.waitForReplies(3, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(ada.replies.map((r) => r.text)).toEqual(sent.get(ada.phone));
    expect(bayo.replies.map((r) => r.text)).toEqual(sent.get(bayo.phone));
    const inbound = await core.app.store.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('direction', '=', 'in')
      .executeTakeFirstOrThrow();
    expect(Number(inbound.n)).toBe(7);

    // Everything handed over was acknowledged: nothing waits on the server.
    await waitUntil(async () => {
      const cursor = await database.db
        .selectFrom('relay_cursors')
        .selectAll()
        .where('workspace_id', '=', enrollment.workspaceId)
        .executeTakeFirstOrThrow();
      return cursor.acked_seq === cursor.last_seq && cursor.last_seq > 0;
    }, 'the relay acknowledged');
  }, 60_000);
});
