// Shared by the browser tests (app.test.ts, home.test.ts): Debian's /usr/bin/chromium driven by
// playwright-core against the headless host, and the small helpers every such test needs.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  // eslint-disable-next-line no-console -- a skipped suite must say why, where the runner shows it
  console.warn(
    `test/app: ${CHROMIUM} is missing, so the browser tests are skipped (apt-get install -y chromium).`,
  );
}

/** toolchain.md: without the networking flags Chromium floods the closed network with connections. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (gitignored): look at them after a run. */
export const SHOTS = join(import.meta.dirname, 'screenshots');

/** A Chromium with its own profile in `profileDir`, as a shop owner in Lagos would run it. */
export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 860 },
    locale: 'en-NG',
    timezoneId: 'Africa/Lagos',
    acceptDownloads: true,
  });
}

/** A full-page screenshot, scrolled to the top first. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** A command through the host's HTTP API, as any client would call it; throws on `{ ok: false }`. */
export async function callApi(
  baseUrl: string,
  token: string,
  name: string,
  input: unknown,
): Promise<unknown> {
  const response = await fetch(`${baseUrl}/api/commands/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; value: unknown };
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.value;
}

/** A link of the main navigation. */
export const navLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

/** Polls `check` until it returns true (for set-up code, where expect.poll is not available). */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
