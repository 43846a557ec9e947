// Real Chromium on the central dashboard: a persistent profile, console errors collected (a stylesheet
// the CSP blocked shows there), and the sign-in form.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from '../app/helpers';
import type { TestServer } from './harness';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface DashboardBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors so far. */
  blocked: string[];
}

export async function openDashboardBrowser(
  profile: string,
  viewport = { width: 1280, height: 860 },
): Promise<DashboardBrowser> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') blocked.push(message.text());
  });
  return { context, page, blocked };
}

/** Signs in through the form, from a page already showing it. */
export async function signInWithForm(page: Page, central: TestServer): Promise<void> {
  await page.getByLabel('Admin token').fill(central.adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}
