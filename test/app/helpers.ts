// Shared by the browser tests (test/app/*.test.ts): Debian's /usr/bin/chromium driven by
// playwright-core against the headless host, and the small helpers every such test needs.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type Demo } from '../../src/server/demo';
import { startHeadlessHost, type HeadlessHost, type HeadlessHostOptions } from '../../src/server/host';
import { ensureRendererBuild } from '../../src/server/renderer-build';

/**
 * Where a Chromium-based browser usually is: $CHROMIUM_PATH first, then Debian/Ubuntu, macOS and Windows
 * installs (Chrome and Edge drive the same way).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const windows = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
    .filter((dir): dir is string => dir !== undefined)
    .flatMap((dir) => [
      join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(dir, 'Chromium', 'Application', 'chrome.exe'),
      join(dir, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  const candidates = [
    env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ...windows,
  ];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

export const CHROMIUM = findChromium() ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  // eslint-disable-next-line no-console -- a skipped suite must say why, where the runner shows it
  console.warn(
    'test/app: no Chromium found (set CHROMIUM_PATH, or apt-get install -y chromium), so the browser ' +
      'tests are skipped, and npm test fails unless --allow-skips is given.',
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

/** The first page of a fresh Chromium whose profile lives in `<dir>/chromium-profile`. */
export async function openPage(
  dir: string,
  timeoutMs = 10_000,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchChromium(join(dir, 'chromium-profile'));
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeoutMs);
  return { context, page };
}

/** Opens the app signed in: the token goes in the address's fragment, as the host prints it. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/#token=${token}`);
}

/** A phone's screen (an iPhone 12-14). */
export const PHONE = { width: 390, height: 844 };
/** Back from a phone to a laptop's window; `height` for the tests that want a taller one. */
export const wideSize = (page: Page, height = 800): Promise<void> =>
  page.setViewportSize({ width: 1280, height });
export const phoneSize = (page: Page): Promise<void> => page.setViewportSize(PHONE);

/** A fresh folder under the system's temporary one, for one test file's data and browser profile. */
export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `switchboard-${name}-`));

/** Closes what a test file opened, in order, skipping what a failed set-up never opened. */
export async function closeAll(opened: {
  context?: BrowserContext | undefined;
  host?: { close(): Promise<void> } | undefined;
  demo?: Demo | undefined;
  /** The test's own servers (an LLM, a Graph API, a relay), closed after the host that used them. */
  servers?: ({ close(): Promise<void> } | { stop(): Promise<void> } | undefined)[];
  dir?: string | undefined;
}): Promise<void> {
  await opened.context?.close();
  await opened.host?.close();
  await opened.demo?.stop();
  for (const server of opened.servers ?? []) {
    if (server !== undefined) await ('close' in server ? server.close() : server.stop());
  }
  if (opened.dir !== undefined) rmSync(opened.dir, { recursive: true, force: true });
}

/** For `afterEach`: a screenshot named after a test that failed, to see where it stood. */
export function shotOnFailure(page: () => Page | undefined, prefix: string) {
  return async (ctx: { task: { name: string; result?: { state?: string } | undefined } }): Promise<void> => {
    const current = page();
    if (ctx.task.result?.state === 'fail' && current !== undefined)
      await screenshot(current, `${prefix}-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  };
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

export type Api = <T = unknown>(name: string, input: unknown) => Promise<T>;

/** `callApi` bound to a host (read when called: the host starts in `beforeAll`) and its token. */
export function hostApi(baseUrl: () => string, token: string): Api {
  return <T = unknown>(name: string, input: unknown) => callApi(baseUrl(), token, name, input) as Promise<T>;
}

/** A new workspace with one WhatsApp number, as an installer would script it. */
export async function createShop(
  api: Api,
  input: { name: string; number: string },
): Promise<{ workspaceId: string; phoneNumberId: string }> {
  const created = await api<{ workspace: { id: string }; number: { id: string } }>('workspace.create', input);
  return { workspaceId: created.workspace.id, phoneNumberId: created.number.id };
}

/** What every test's host has in common: its data, the token, the built UI, no log file, quick writes. */
export function testHostOptions(dataDir: string, token: string) {
  return {
    dataDir,
    token,
    staticDir: join(import.meta.dirname, '..', '..', 'out', 'renderer'),
    fileLog: false,
    durability: 'normal' as const,
    version: '0.1.0',
  };
}

/**
 * The headless host over `<dir>/data` with the built UI and no liveness checks; `options` adds to or
 * replaces what the test needs (a demo, sync, a Cloud relay).
 */
export async function startTestHost(
  dir: string,
  token: string,
  options: Partial<HeadlessHostOptions> = {},
): Promise<HeadlessHost> {
  await ensureRendererBuild();
  return startHeadlessHost({
    ...testHostOptions(join(dir, 'data'), token),
    whatsapp: { livenessIntervalMs: 0 },
    ...options,
  });
}

/**
 * The headless host in demo mode over `<dir>/data`, with no simulated customers of its own (every
 * message is one the test sends) and the demo FAQs added to each new workspace.
 */
export async function startDemoHost(dir: string, token: string): Promise<{ demo: Demo; host: HeadlessHost }> {
  await ensureRendererBuild();
  const demo = await startDemo({ intervalMs: 0, seedFaqs: true });
  return { demo, host: await startTestHost(dir, token, { demo }) };
}

/**
 * Links a number through the demo phone's QR, as an installer would script it, then makes the shop
 * answer at once (no typing time, greeting or flood guard) once its demo FAQs are in.
 */
export async function linkDemoShop(
  api: Api,
  ref: { workspaceId: string; phoneNumberId: string },
): Promise<void> {
  const { workspaceId } = ref;
  await api('connection.pair', ref);
  await waitUntil(() => api('demo.scanQr', ref).then(() => true), 'a QR code to scan');
  await waitUntil(
    async () =>
      (await api<{ status: string }[]>('connection.list', { workspaceId }))[0]?.status === 'connected',
    'the number to connect',
    20_000,
  );
  await api('workspace.updateSettings', {
    workspaceId,
    settings: { pacing: { enabled: false }, greeting: { enabled: false }, floodGuard: { enabled: false } },
  });
  await waitUntil(
    async () => (await api<unknown[]>('faq.list', { workspaceId })).length === 3,
    'the demo FAQs',
  );
}
