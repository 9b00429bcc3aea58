import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@trainyard/data/testing';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './trainyard-up.js';

/** Debian's Chromium (`apt-get install -y chromium`); playwright cannot download a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'dashboard');

/** Headless Chromium with the flags of ENVIRONMENT.md and a fresh profile. */
export async function launchBrowser(): Promise<BrowserContext> {
  const profile = await makeTempDir('web-chromium-');
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A full-page PNG in test-artifacts/dashboard, taken once every chart on the page is drawn (not its loading placeholder). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(`!document.querySelector('[data-chart][aria-busy="true"]')`);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
