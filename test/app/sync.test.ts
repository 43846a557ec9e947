// Settings › Central sync in real Chromium against the headless host and the real central server
// (in this process, on 127.0.0.1, SQLite): enroll with a code, watch a backlog catch up, see the
// server go away and come back, share message texts, a refused key, and leaving.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFileKeySecretBox } from '../../src/core/secrets/file-key-secret-box';
import type { NewEvent } from '../../src/core/store/repositories/event-log';
import { newAccessToken } from '../../src/server/access-token';
import type { HeadlessHost } from '../../src/server/host';
import type { SyncStatus } from '../../src/shared/contract';
import type { Workspace } from '../../src/shared/dto';
import { startCentral, type Central } from '../sync/harness';
import {
  closeAll,
  hasChromium,
  hostApi,
  navLink,
  openPage,
  screenshot,
  SHOTS,
  signIn,
  startTestHost,
  tempDir,
} from './helpers';

let central: Central;
let host: HeadlessHost;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();

/** The whole page, and the Central sync card alone (easier to read). */
async function shot(name: string): Promise<void> {
  await screenshot(page, name);
  if ((await card().count()) > 0) await card().screenshot({ path: join(SHOTS, `${name}-card.png`) });
}
const api = hostApi(() => host.url, token);
const status = () => api<SyncStatus>('sync.status', { workspaceId });
const card = () => page.getByRole('region', { name: 'Central sync' });
const phase = () => card().locator('.central-sync__head .badge').textContent();
const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });

async function addEvents(count: number): Promise<void> {
  const rows: NewEvent[] = Array.from({ length: count }, (_, i) => ({
    ts: Date.now(),
    level: 'info',
    type: 'message.received',
    workspaceId,
    contactId: null,
    message: `Message ${i} from 2348031234567@s.whatsapp.net stored`,
    meta: JSON.stringify({ chatId: '2348031234567@s.whatsapp.net', n: i, pad: 'p'.repeat(300) }),
  }));
  for (let start = 0; start < rows.length; start += 5_000) {
    await host.app.events.appendBatch(rows.slice(start, start + 5_000));
  }
}

describe.skipIf(!hasChromium)('central sync in the settings screen', () => {
  beforeAll(async () => {
    dir = tempDir('sync-ui');
    central = await startCentral('sqlite');
    host = await startTestHost(dir, token, {
      // Seconds of backoff instead of minutes; small batches so catching up is visible.
      sync: {
        installationName: 'Mama Nkechi front desk',
        pusher: {
          idlePollMs: 300,
          backoff: { baseMs: 300, maxMs: 1_000, minMs: 200 },
          batchGapMs: 60,
          limits: { maxEvents: 200 },
        },
        notifyIntervalMs: 200,
      },
    });
    workspaceId = (await api<{ workspace: Workspace }>('workspace.create', { name: 'Mama Nkechi Pharmacy' }))
      .workspace.id;
    ({ context, page } = await openPage(dir));
    await signIn(page, host.url, token);
    await navLink(page, 'Settings').click();
  }, 90_000);

  afterAll(() => closeAll({ context, host, servers: [central], dir }));

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await shot(`sync-failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('a refused code says why and what to do; a good one enrolls', async () => {
    await card().getByRole('form', { name: 'Enroll with a central server' }).waitFor();
    expect(await phase()).toBe('Off');
    await shot('sync-01-enroll');

    // Plain http to another computer: a warning, and Connect waits for the owner's explicit choice.
    const connect = card().getByRole('button', { name: 'Connect to central server' });
    await card().getByLabel('Server address').fill('http://192.168.1.20:8787');
    await card().getByLabel('Enrollment code').fill('7KQ2-M9XD-4TNB-H3WE');
    const warning = card().locator('[data-warning="insecure"]');
    await poll(() => warning.textContent()).toContain('unencrypted');
    expect(await connect.isDisabled()).toBe(true);
    await card()
      .getByLabel(/Send over plain http anyway/)
      .check();
    expect(await connect.isDisabled()).toBe(false);
    await shot('sync-01b-insecure-warning');
    // This computer's own address needs no such choice.
    await card().getByLabel('Server address').fill(central.url);
    expect(await warning.count()).toBe(0);
    await connect.click();
    const refused = card().getByRole('alert');
    await poll(() => refused.textContent()).toMatch(
      /^The central server refused the code: This enrollment code is not valid\. Check it for typos, or ask the central team for a new one\.$/,
    );
    await shot('sync-02-code-refused');

    await card()
      .getByLabel('Enrollment code')
      .fill(await central.createCode('Mama Nkechi (Lagos region)'));
    await card().getByRole('button', { name: 'Connect to central server' }).click();
    await poll(() => card().locator('.central-sync__target').textContent()).toBe(
      `Sending to Mama Nkechi (Lagos region) at ${central.url}`,
    );
    await poll(phase).toBe('Up to date');
    await poll(() => card().locator('[data-fact="backlog"]').textContent()).toBe('0 events');
    expect(await card().locator('[data-fact="last-success"]').textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
    const enrolled = await status();
    expect(await central.storedSeqs(enrolled.centralWorkspaceId!)).not.toEqual([]);
  }, 30_000);

  it('a large backlog catches up with a progress bar', async () => {
    await addEvents(8_000);
    const bar = card().getByRole('progressbar', { name: 'Catching up' });
    await bar.waitFor({ timeout: 15_000 });
    await poll(phase).toBe('Catching up');
    expect(await card().locator('.central-sync__progress p').textContent()).toMatch(
      /^Catching up: [\d,]+ of [\d,]+ waiting events sent$/,
    );
    await shot('sync-03-catching-up');
    await poll(phase, 30_000).toBe('Up to date');
    await bar.waitFor({ state: 'detached' });
    expect((await status()).backlog).toBe(0);
  }, 45_000);

  it('the server going away shows the error and the next try; it clears when the server is back', async () => {
    await central.stop();
    await addEvents(25);
    await poll(phase).toBe('Waiting to retry');
    await poll(() => card().getByRole('alert').textContent()).toMatch(
      /^Could not reach the central server: the connection was refused.*check this computer's internet connection if this lasts\./,
    );
    expect(
      Number((await card().locator('[data-fact="backlog"]').textContent())!.replace(/\D/g, '')),
    ).toBeGreaterThanOrEqual(25);
    await card().locator('[data-fact="next-attempt"]').waitFor();
    await shot('sync-04-server-unreachable');

    await central.start();
    await poll(phase).toBe('Up to date');
    await card().getByRole('alert').waitFor({ state: 'detached' });
    const { centralWorkspaceId, lastAckedSeq } = await status();
    expect((await central.storedSeqs(centralWorkspaceId!)).at(-1)).toBe(lastAckedSeq);
  }, 30_000);

  it('message texts are shared only when switched on', async () => {
    const share = card().getByRole('switch', { name: /Share message texts/ });
    expect(await share.isChecked()).toBe(false);
    await share.check({ force: true });
    await poll(async () => (await status()).shareMessageText).toBe(true);
    await poll(() => share.isChecked()).toBe(true);
  });

  it('a key the server no longer accepts needs attention, and enrolling again from the form fixes it', async () => {
    // Revoked on the server (its link removed), and this computer's copy damaged too.
    await central.revokeTokens((await status()).centralWorkspaceId!);
    await host.app.store.db
      .updateTable('sync_state')
      .set({
        token_sealed: createFileKeySecretBox({ dataDir: join(dir, 'data') }).seal(`sbw_${'x'.repeat(43)}`),
      })
      .execute();
    await addEvents(3);
    await poll(phase).toBe('Needs attention');
    expect(await card().getByRole('alert').textContent()).toMatch(
      /^The central server no longer accepts this computer's key \(HTTP 401\): .*with a new code from the central team\./,
    );
    const again = card().getByRole('form', { name: 'Enroll again' });
    expect(await again.getByLabel('Server address').inputValue()).toBe(central.url);
    await shot('sync-05-needs-attention');
    await again.getByLabel('Enrollment code').fill(await central.createCode('Mama Nkechi (Lagos region)'));
    await again.getByRole('button', { name: 'Enroll again' }).click();
    await poll(phase).toBe('Up to date');
    await shot('sync-06-enrolled');
  }, 30_000);

  it('leaving asks first, then shows the enroll form again', async () => {
    await card().getByRole('button', { name: 'Stop syncing' }).click();
    await card().getByRole('button', { name: 'Yes, stop syncing' }).click();
    await card().getByRole('form', { name: 'Enroll with a central server' }).waitFor();
    expect(await phase()).toBe('Off');
    expect((await status()).enrolled).toBe(false);
  });
});
