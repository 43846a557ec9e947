// Settings › Backups, Home's backup line, the restore flow and moving to another computer, in real
// Chromium against two headless hosts on two data folders, the real Baileys client and the local
// WhatsApp server (demo mode): the new install answers the next customer without a QR scan, and the old
// one never connects again. Each "computer" has its own key store outside its data folder (Electron's
// safeStorage adapter over a key of that computer), so the session keys must travel inside the move file.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../src/server/demo';
import { startDemo } from '../../src/server/demo';
import { newAccessToken } from '../../src/server/access-token';
import { ensureRendererBuild } from '../../src/server/renderer-build';
import { startRestartingHost, type RestartingHost } from '../../src/server/restarting-host';
import type { BackupEntry, NumberState } from '../../src/shared/contract';
import type { Workspace } from '../../src/shared/dto';
import { createFileKeySecretBox, type SecretBox } from '../../src/core/index';
import { createSafeStorageSecretBox } from '../../src/main/safe-storage-secret-box';
import {
  callApi,
  hasChromium,
  linkDemoShop,
  navLink,
  openPage,
  phoneSize,
  screenshot,
  SHOTS,
  tempDir,
  testHostOptions,
  waitUntil,
  wideSize,
} from './helpers';

const SHOP_NUMBER = '+2348031234567';
const PASSPHRASE = 'jollof every friday';
let demo: Demo;
let oldPc: RestartingHost;
let newPc: RestartingHost | undefined;
let context: BrowserContext;
let page: Page;
let dir: string;
let workspaceId: string;
const token = newAccessToken();

const api = <T = unknown>(host: RestartingHost, name: string, input: unknown = {}): Promise<T> =>
  callApi(host.current.url, token, name, input) as Promise<T>;
const card = () => page.getByRole('region', { name: 'Backups' });
const poll = <T>(fn: () => Promise<T>, timeout = 20_000) => expect.poll(fn, { timeout });
const numberStatus = async (host: RestartingHost) =>
  (await api<NumberState[]>(host, 'connection.list', { workspaceId }))[0]?.status;
const messageCount = async (host: RestartingHost) =>
  (await api<BackupEntry[]>(host, 'backup.list'))[0]?.workspaces[0]?.messages;

/** A computer's key store: its key lives outside the data folder, so a copied folder cannot open it. */
function osKeyStore(computer: string): SecretBox {
  const keyring = createFileKeySecretBox({ keyPath: join(dir, `${computer}-keyring`, 'login.key') });
  return createSafeStorageSecretBox(
    {
      isEncryptionAvailable: () => true,
      encryptString: (plain) => Buffer.from(keyring.seal(plain)),
      decryptString: (sealed) => keyring.open(sealed.toString()),
    },
    createFileKeySecretBox({ keyPath: join(dir, `${computer}-keyring`, 'fallback.key') }),
  );
}
const keyStores = new Map<string, SecretBox>();

/** The WhatsApp creds of the shop's number as stored in a data folder (sealed). */
async function storedCreds(host: RestartingHost): Promise<string> {
  const row = await host.current.app.store.db
    .selectFrom('wa_auth_creds')
    .select('creds')
    .executeTakeFirstOrThrow();
  return row.creds;
}

async function hostOn(data: string): Promise<RestartingHost> {
  const computer = data.endsWith('new-pc') ? 'new-pc' : 'old-pc';
  if (!keyStores.has(computer)) keyStores.set(computer, osKeyStore(computer));
  return startRestartingHost(
    {
      ...testHostOptions(data, token),
      secrets: keyStores.get(computer)!,
      demo,
      whatsapp: { livenessIntervalMs: 0 },
    },
    (error) => {
      throw error;
    },
  );
}

/** Both sizes the owner uses: a desk PC and a phone. */
async function shots(name: string): Promise<void> {
  await screenshot(page, name);
  await phoneSize(page);
  await screenshot(page, `${name}-phone`);
  await wideSize(page);
}

describe.skipIf(!hasChromium)('backups, restore and moving to another computer', () => {
  beforeAll(async () => {
    await ensureRendererBuild();
    dir = tempDir('backups-ui');
    demo = await startDemo({ intervalMs: 0, seedFaqs: true });
    oldPc = await hostOn(join(dir, 'old-pc'));
    const created = await api<{ workspace: Workspace; number: { id: string } }>(oldPc, 'workspace.create', {
      name: 'Mama Nkechi Pharmacy',
      number: '0803 123 4567',
    });
    workspaceId = created.workspace.id;
    await linkDemoShop((name, input) => api(oldPc, name, input), {
      workspaceId,
      phoneNumberId: created.number.id,
    });
    const chioma = demo.server.contact('+2348031110001', { name: 'Chioma Okafor' });
    await chioma.send(SHOP_NUMBER, 'What time do you open?');
    await chioma.waitForReplies(1, 10_000);

    ({ context, page } = await openPage(dir, 15_000));
    await wideSize(page);
    await page.goto(`${oldPc.current.url}/#token=${token}`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await newPc?.close();
    await oldPc?.close();
    await demo?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await screenshot(page, `backups-failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('Home warns without a backup; Back up now shows progress and lists the backup with its messages', async () => {
    await page.getByRole('alert').filter({ hasText: 'There is no backup of your data yet.' }).waitFor();
    await navLink(page, 'Settings').click();
    await card().getByRole('button', { name: 'Back up now' }).scrollIntoViewIfNeeded();
    await card().getByText('No backup yet. Make one now.').waitFor();
    await card().getByRole('button', { name: 'Back up now' }).click();
    const row = card().getByRole('table', { name: 'Backups' }).locator('tbody tr');
    await poll(() => row.count()).toBe(1);
    expect(await row.first().textContent()).toMatch(
      /manualMama Nkechi Pharmacy: 2 messagesThis computerRestore…/,
    );
    await card()
      .getByText(/^Last good backup:/)
      .waitFor();
    await card().getByRole('heading', { name: 'Backups' }).scrollIntoViewIfNeeded();
    await card().screenshot({ path: join(SHOTS, 'backups-01-settings-card.png') });
    await navLink(page, 'Home').click();
    await poll(() => page.getByTestId('backup-line').textContent()).toMatch(
      /^Last backup .* your data is safe\.$/,
    );
    await shots('backups-02-home');
  }, 60_000);

  it('restoring a backup from the list restarts, brings the data back and reconnects without a QR', async () => {
    const tunde = demo.server.contact('+2348052220002', { name: 'Tunde Bakare' });
    await tunde.send(SHOP_NUMBER, 'Do you deliver?');
    await tunde.waitForReplies(1, 10_000);

    await navLink(page, 'Settings').click();
    await card().getByRole('button', { name: 'Restore…' }).click();
    const dialog = card().getByRole('dialog', { name: 'Restore this backup' });
    expect(await dialog.textContent()).toMatch(/Your current data is kept beside it/);
    await dialog.scrollIntoViewIfNeeded();
    await card().screenshot({ path: join(SHOTS, 'backups-03-confirm-restore.png') });
    const restarted = oldPc.nextRestart();
    await page.evaluate(() => Object.assign(globalThis, { beforeRestore: true }));
    await dialog.getByRole('button', { name: 'Restore this backup' }).click();
    await card().getByText('Backup checked. Switchboard is restarting to put it in place…').waitFor();
    expect(await card().getByRole('status').textContent()).toMatch(
      /These numbers reconnect by themselves: \+2348031234567\..*kept in .*before-restore-/,
    );
    await restarted;
    // Back on the same address with the backup's data: Tunde's chat is not in it; the number reconnects.
    const chats = await api<{ contactName: string | null }[]>(oldPc, 'conversation.list', { workspaceId });
    expect(chats.map((c) => c.contactName)).toEqual(['Chioma Okafor']);
    await poll(() => numberStatus(oldPc)).toBe('connected');
    expect(oldPc.current.app.restored?.needScan).toEqual([]);
    // The page reloaded by itself once the host was back.
    await page.waitForFunction(() => !('beforeRestore' in globalThis), undefined, { timeout: 20_000 });
    await page.getByRole('region', { name: 'Backups' }).waitFor();
  }, 60_000);

  it('restoring a file from elsewhere shows its date, businesses and message counts before anything changes', async () => {
    const listed = await api<BackupEntry[]>(oldPc, 'backup.list');
    const elsewhere = join(dir, 'usb-old', 'shop-backup.swbk');
    mkdirSync(join(dir, 'usb-old'));
    copyFileSync(listed[0]!.file, elsewhere);

    await navLink(page, 'Settings').click();
    await card().getByText('Restore a backup from a USB stick or another folder').click();
    const form = card().getByRole('form', { name: 'Restore from a file' });
    await form.getByLabel('Backup file').fill(join(dir, 'usb-old', 'not-there.swbk'));
    await form.getByRole('button', { name: 'Check this file' }).click();
    await poll(() => form.getByRole('alert').textContent()).toMatch(/There is no backup file at .*not-there/);
    await form.getByLabel('Backup file').fill(elsewhere);
    await form.getByRole('button', { name: 'Check this file' }).click();
    const dialog = card().locator('.backups__more').getByRole('dialog', { name: 'Restore this backup' });
    await dialog.waitFor();
    // The same date the list shows for the backup it was copied from.
    const firstCell = card().getByRole('table', { name: 'Backups' }).locator('tbody tr td').first();
    const listedWhen = (await firstCell.textContent())!.replace(/\s*\S+$/, '');
    expect(listedWhen).not.toBe('');
    expect(await dialog.textContent()).toContain(`Put back the backup of ${listedWhen}?`);
    expect(await dialog.getByRole('list', { name: 'In this backup' }).textContent()).toMatch(
      /Mama Nkechi Pharmacy: 2 messages.*opens on this computer only/,
    );
    await dialog.scrollIntoViewIfNeeded();
    await card().screenshot({ path: join(SHOTS, 'backups-03b-restore-from-file.png') });
    const restarted = oldPc.nextRestart();
    await dialog.getByRole('button', { name: 'Restore this backup' }).click();
    await card().getByText('Backup checked. Switchboard is restarting to put it in place…').waitFor();
    await restarted;
    expect(oldPc.current.app.restored?.archive).toBe(elsewhere);
    await poll(() => numberStatus(oldPc)).toBe('connected');
    // The screen reloads once the host is back: wait for that reload (the notice goes with the old page),
    // so it cannot land in the middle of the next test's form.
    await card()
      .getByText('Backup checked. Switchboard is restarting to put it in place…')
      .waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByRole('region', { name: 'Backups' }).waitFor({ timeout: 20_000 });
  }, 60_000);

  it('moving: the old PC stops for good; the new PC takes over from first run and answers without a QR', async () => {
    const oldCreds = await storedCreds(oldPc);
    expect(oldCreds).toMatch(/^os1:/);
    const moveFile = join(dir, 'usb-stick', 'switchboard-move.swbk');
    mkdirSync(join(dir, 'usb-stick'));
    await card().getByText('Move to another computer').click();
    const form = card().getByRole('form', { name: 'Move to another computer' });
    await form.getByLabel('Save as').fill(moveFile);
    await form.getByLabel('Passphrase').fill('short');
    await form.getByLabel(/I understand this computer stops answering/).check();
    await form.getByRole('button', { name: 'Make the move file' }).click();
    await poll(() => form.getByRole('alert').textContent()).toMatch(/at least 8 characters/);
    await form.getByLabel('Passphrase').fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Make the move file' }).click();
    await card()
      .getByText(/This computer no longer connects to WhatsApp/)
      .waitFor({ timeout: 30_000 });
    await poll(() => numberStatus(oldPc)).not.toBe('connected');
    await navLink(page, 'Home').click();
    await page.getByText(/was moved to another computer on/).waitFor();
    await shots('backups-04-old-pc-moved-away');

    // The old PC started again still keeps its numbers off, and says why when asked to connect.
    await oldPc.close();
    oldPc = await hostOn(join(dir, 'old-pc'));
    const reconnect = await callApi(oldPc.current.url, token, 'connection.reconnect', {
      workspaceId,
      phoneNumberId: (await api<NumberState[]>(oldPc, 'connection.list', { workspaceId }))[0]!.phoneNumberId,
    }).catch((error: unknown) => (error as Error).message);
    expect(reconnect).toMatch(/moved to another computer from here/);

    // The new PC: a fresh data folder, first run.
    newPc = await hostOn(join(dir, 'new-pc'));
    await page.goto(`${newPc.current.url}/#token=${token}`);
    await page.getByRole('button', { name: 'I already use Switchboard on another computer' }).click();
    const moveHere = page.getByRole('form', { name: 'Move from another computer' });
    await moveHere.getByLabel('Move file').fill(moveFile);
    await moveHere.getByLabel('Passphrase').fill('not the passphrase');
    await moveHere.getByRole('button', { name: 'Bring everything over' }).click();
    await poll(() => moveHere.getByRole('alert').textContent()).toMatch(/check the passphrase/);
    await shots('backups-05-first-run-move-here');
    await moveHere.getByLabel('Passphrase').fill(PASSPHRASE);
    const restarted = newPc.nextRestart();
    await moveHere.getByRole('button', { name: 'Bring everything over' }).click();
    await page.getByText('Backup checked. Switchboard is restarting to put it in place…').waitFor();
    await restarted;
    await page.getByText('Mama Nkechi Pharmacy').first().waitFor();
    await poll(() => numberStatus(newPc!)).toBe('connected');
    await shots('backups-06-new-pc-home');
    // The session came over resealed with the new computer's key store; the old one cannot open it.
    const newCreds = await storedCreds(newPc);
    expect(newCreds).toMatch(/^os1:/);
    expect(JSON.parse(keyStores.get('new-pc')!.open(newCreds))).toHaveProperty('me');
    expect(() => keyStores.get('old-pc')!.open(newCreds)).toThrow(/could not decrypt/);
    expect(existsSync(join(dir, 'new-pc', 'secrets.key'))).toBe(false);

    // The next customer is answered by the new PC, with no QR scanned.
    const aisha = demo.server.contact('+2347063330003', { name: 'Aisha Bello' });
    await aisha.send(SHOP_NUMBER, 'What time do you open?');
    await aisha.waitForReplies(1, 15_000);
    await waitUntil(
      async () =>
        (await api<{ contactName: string | null }[]>(newPc!, 'conversation.list', { workspaceId })).some(
          (c) => c.contactName === 'Aisha Bello',
        ),
      "Aisha's chat on the new PC",
    );
    expect(await numberStatus(oldPc)).not.toBe('connected');
    expect(await messageCount(oldPc)).toBe(2);
  }, 120_000);
});
