// The push client against the real central server: offline for a while, killed mid-batch, wrong
// tokens, and the messages the owner sees. SQLite and PostgreSQL on the server side.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../src/central/testing/databases';
import { createSyncStateRepository } from '../../src/core/store/repositories/sync-state';
import { createFileKeySecretBox } from '../../src/core/secrets/file-key-secret-box';
import {
  FAST_SYNC,
  startCentral,
  startCentralProcess,
  startShop,
  waitUntilPushed,
  type Central,
  type Shop,
} from './harness';

const centrals: Central[] = [];
const shops: Shop[] = [];
afterEach(async () => {
  for (const shop of shops.splice(0)) await shop.close();
  for (const central of centrals.splice(0)) await central.close();
});

async function central(kind: (typeof TEST_DIALECTS)[number]): Promise<Central> {
  const started = await startCentral(kind);
  centrals.push(started);
  return started;
}
async function shop(name: string, options: Parameters<typeof startShop>[1] = {}): Promise<Shop> {
  const started = await startShop(name, options);
  shops.push(started);
  return started;
}

describe.each(TEST_DIALECTS)('push client and central server (%s)', (kind) => {
  it('server down for a while: the backlog stays on disk and arrives exactly once when it returns', async () => {
    const server = await central(kind);
    const pharmacy = await shop('Chidi Pharmacy');
    const enrolled = await pharmacy.app.sync.enroll(
      pharmacy.workspaceId,
      server.url,
      await server.createCode('Chidi Pharmacy (HQ)'),
    );
    expect(enrolled).toMatchObject({ enrolled: true, centralWorkspaceName: 'Chidi Pharmacy (HQ)' });
    await pharmacy.addEvents(500);
    await waitUntilPushed(pharmacy);

    await server.stop();
    await pharmacy.addEvents(3_000);
    const offline = await pharmacy.waitFor((s) => s.phase === 'retrying' && s.lastError !== null);
    expect(offline.lastError!.message).toMatch(
      /^Could not reach the central server: the connection was refused/,
    );
    expect(offline.backlog).toBeGreaterThanOrEqual(3_000);
    expect(offline.nextAttemptAt).toBeGreaterThan(Date.now() - 1_000);
    // A few failed attempts, not a hot loop (backoff here is 50-600 ms).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const failures = await pharmacy.app.events.query({
      workspaceId: null,
      types: ['sync.failed'],
      limit: 500,
    });
    const inWorkspace = await pharmacy.app.events.query({
      workspaceId: pharmacy.workspaceId,
      types: ['sync.failed'],
    });
    expect(failures.events.length + inWorkspace.events.length).toBeLessThan(40);
    expect(inWorkspace.events).toHaveLength(1); // the streak is logged once in the workspace

    await server.start();
    const back = await waitUntilPushed(pharmacy);
    expect(back).toMatchObject({ lastError: null, catchingUp: null });
    const local = await pharmacy.localSeqs();
    expect(await server.storedSeqs(enrolled.centralWorkspaceId!)).toEqual(local);
    expect(back.lastAckedSeq).toBe(local.at(-1));
    const types = (await server.storedEvents(enrolled.centralWorkspaceId!)).map((e) => e.type);
    expect(types).toContain('sync.failed');
    expect(types).toContain('sync.recovered');
    expect(types).not.toContain('sync.pushed');
  }, 60_000);

  it('server killed mid-batch (SIGKILL), again and again: nothing lost, nothing stored twice', async () => {
    const server = await startCentralProcess(kind);
    centrals.push(server);
    const shopWithBigBacklog = await shop('Ada Boutique', {
      sync: { ...FAST_SYNC, pusher: { ...FAST_SYNC.pusher, limits: { maxEvents: 1_000 } } },
    });
    await shopWithBigBacklog.addEvents(20_000);
    const enrolled = await shopWithBigBacklog.app.sync.enroll(
      shopWithBigBacklog.workspaceId,
      server.url,
      await server.createCode('Ada Boutique'),
    );
    for (let round = 0; round < 4; round++) {
      // Kill while batches are going out: right after the acknowledged seq moved (a batch was just
      // committed and the next one is being read, sent or committed).
      const before = (await shopWithBigBacklog.status()).lastAckedSeq;
      await shopWithBigBacklog.waitFor((s) => s.lastAckedSeq > before, 30_000);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      await server.kill();
      await shopWithBigBacklog.waitFor((s) => s.phase === 'retrying');
      await server.start();
    }
    const done = await waitUntilPushed(shopWithBigBacklog, 60_000);
    const local = await shopWithBigBacklog.localSeqs();
    const stored = await server.storedSeqs(enrolled.centralWorkspaceId!);
    expect(stored.length).toBe(local.length);
    expect(stored).toEqual(local);
    expect(done.lastAckedSeq).toBe(local.at(-1));
  }, 120_000);

  it('an event and a shared text with NUL in them arrive as they are (PostgreSQL refused them: 500 for ever)', async () => {
    const server = await central(kind);
    const pharmacy = await shop('Chidi Pharmacy');
    const enrolled = await pharmacy.app.sync.enroll(
      pharmacy.workspaceId,
      server.url,
      await server.createCode('HQ'),
    );
    await pharmacy.app.sync.setShareMessageText(pharmacy.workspaceId, true);
    await storeInbound(pharmacy, 'm-nul', 'Ventolin\u0000 inhaler');
    await pharmacy.addEvents(3, (i) =>
      i === 1 ? { message: 'NUL\u0000 here', meta: JSON.stringify({ messageId: 'm-nul' }) } : {},
    );
    await waitUntilPushed(pharmacy);
    const stored = await server.storedEvents(enrolled.centralWorkspaceId!);
    expect(stored.map((e) => e.seq)).toEqual(await pharmacy.localSeqs());
    expect(stored.find((e) => e.text !== null)).toMatchObject({
      message: 'NUL\u0000 here',
      text: 'Ventolin\u0000 inhaler',
    });
  }, 60_000);
});

describe('tokens and enrollment against the central server (sqlite)', () => {
  it("a workspace pushing with another installation's token is refused: nothing stored, needs attention", async () => {
    const server = await central('sqlite');
    const a = await shop('Shop A');
    const b = await shop('Shop B');
    const enrolledA = await a.app.sync.enroll(a.workspaceId, server.url, await server.createCode('A'));
    const enrolledB = await b.app.sync.enroll(b.workspaceId, server.url, await server.createCode('B'));
    await waitUntilPushed(a);
    await waitUntilPushed(b);
    const storedA = await server.storedSeqs(enrolledA.centralWorkspaceId!);
    const storedB = await server.storedSeqs(enrolledB.centralWorkspaceId!);

    // Shop A gets hold of B's token (sealed with A's own key, as if A had enrolled with it).
    await a.app.sync.stop();
    const tokenOfB = createFileKeySecretBox({ dataDir: b.dataDir }).open(
      (await createSyncStateRepository(b.app.store.db).get(b.workspaceId))!.tokenSealed,
    );
    await a.app.store.db
      .updateTable('sync_state')
      .set({ token_sealed: createFileKeySecretBox({ dataDir: a.dataDir }).seal(tokenOfB) })
      .execute();
    await a.app.close();
    shops.splice(shops.indexOf(a), 1);
    const again = await shop('Shop A', { dataDir: a.dataDir });
    await again.addEvents(50);
    const refused = await again.waitFor((s) => s.phase === 'needs-attention');
    expect(refused.lastError!.message).toMatch(
      /^The central server no longer accepts this computer's key \(HTTP 403\): This workspace token was issued to another installation.*\. Enroll again with a new code from your administrator\.$/,
    );
    expect(await server.storedSeqs(enrolledA.centralWorkspaceId!)).toEqual(storedA);
    expect(await server.storedSeqs(enrolledB.centralWorkspaceId!)).toEqual(storedB);
    expect(refused.backlog).toBeGreaterThanOrEqual(50);
  }, 60_000);

  it('a 401 stops the pusher with "needs attention"; enrolling again resumes, and the waiting events arrive', async () => {
    const server = await central('sqlite');
    const pharmacy = await shop('Chidi Pharmacy');
    const first = await pharmacy.app.sync.enroll(
      pharmacy.workspaceId,
      server.url,
      await server.createCode('HQ'),
    );
    await waitUntilPushed(pharmacy);
    // The token is revoked on the server (its link removed): the next push gets 401.
    await server.revokeTokens(first.centralWorkspaceId!);
    await pharmacy.app.store.db
      .updateTable('sync_state')
      .set({
        token_sealed: createFileKeySecretBox({ dataDir: pharmacy.dataDir }).seal(`sbw_${'x'.repeat(43)}`),
      })
      .execute();
    await pharmacy.addEvents(20);
    pharmacy.app.sync.nudge(pharmacy.workspaceId);
    const stopped = await pharmacy.waitFor((s) => s.phase === 'needs-attention');
    expect(stopped.lastError!.message).toMatch(
      /\(HTTP 401\): This workspace token is not valid here\. Enroll the workspace again with a new code from the central team\.$/,
    );
    const requests = server.ingestRequests;
    await new Promise((resolve) => setTimeout(resolve, 800)); // many idle polls and backoff periods
    expect(server.ingestRequests).toBe(requests);

    // Enrolling again with a new code (another central workspace) resumes pushing; the code is then spent.
    const code = await server.createCode('HQ again');
    const second = await pharmacy.app.sync.enroll(pharmacy.workspaceId, server.url, code);
    expect(second).toMatchObject({ enrolled: true, lastError: null, lastAckedSeq: 0 });
    await expect(pharmacy.app.sync.enroll(pharmacy.workspaceId, server.url, code)).rejects.toThrow(
      /^The central server refused the code: This enrollment code has already been used/,
    );
    await waitUntilPushed(pharmacy);
    expect(second.centralWorkspaceId).not.toBe(first.centralWorkspaceId);
    expect(await server.storedSeqs(second.centralWorkspaceId!)).toEqual(await pharmacy.localSeqs());
  }, 60_000);

  it('an expired code is refused with what to do; message texts travel only when shared', async () => {
    const server = await central('sqlite');
    const pharmacy = await shop('Chidi Pharmacy');
    const expiring = await server.createCode('HQ', 1);
    server.advanceClock(2 * 60 * 60_000);
    await expect(pharmacy.app.sync.enroll(pharmacy.workspaceId, server.url, expiring)).rejects.toThrow(
      /^The central server refused the code: This enrollment code expired on .*Ask the central team for a new one\.$/,
    );
    const closedPort = await freePort();
    await expect(
      pharmacy.app.sync.enroll(
        pharmacy.workspaceId,
        `http://127.0.0.1:${closedPort}`,
        await server.createCode('HQ'),
      ),
    ).rejects.toThrow(
      /^Could not reach the central server at http:\/\/127\.0\.0\.1:\d+: the connection was refused/,
    );
    await expect(
      pharmacy.app.sync.enroll(pharmacy.workspaceId, 'http://127.0.0.1:9', await server.createCode('HQ')),
    ).rejects.toThrow(/that port is blocked for web requests/);

    const enrolled = await pharmacy.app.sync.enroll(
      pharmacy.workspaceId,
      server.url,
      await server.createCode('HQ'),
    );
    await storeInbound(pharmacy, 'm-1', 'Una get Ventolin inhaler?');
    await pharmacy.addEvents(1, () => ({
      meta: JSON.stringify({ messageId: 'm-1' }),
      message: 'not shared',
    }));
    await waitUntilPushed(pharmacy);
    await pharmacy.app.sync.setShareMessageText(pharmacy.workspaceId, true);
    await pharmacy.addEvents(1, () => ({ meta: JSON.stringify({ messageId: 'm-1' }), message: 'shared' }));
    await waitUntilPushed(pharmacy);
    const withText = (await server.storedEvents(enrolled.centralWorkspaceId!)).filter((e) => e.text !== null);
    expect(withText).toHaveLength(1);
    expect(withText[0]!.text).toBe('Una get Ventolin inhaler?');
  }, 60_000);
});

/** An inbound customer message in the shop's store, for events that name it by messageId. */
async function storeInbound(owner: Shop, id: string, text: string): Promise<void> {
  await owner.app.store.db
    .insertInto('messages')
    .values({
      id,
      workspace_id: owner.workspaceId,
      business_number: '+2348090000001',
      provider_message_id: `P-${id}`,
      chat_id: '2348031234567@s.whatsapp.net',
      contact_id: null,
      direction: 'in',
      author: 'contact',
      text,
      status: 'received',
      provider_ts: 1,
      created_at: 1,
      updated_at: 1,
    })
    .execute();
}

/** A port nothing listens on (taken, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
