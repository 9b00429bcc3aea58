import { networkInterfaces } from 'node:os';
import type { RunListResponse } from '@trainyard/experiments';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { example, openPage, testBrowsers, webApi, type WebApi } from './web-api.js';

const TOKEN = 'web-test-token';
const RUN_URL = /\/runs\/[0-9a-f-]{36}$/;

/**
 * This machine's first non-loopback IPv4 address: how a teammate would reach a shared server.
 * Without one the test fails rather than skips (CI must not skip it): only such an address
 * gives the browser a page over plain http that is not a secure context.
 */
function lanAddress(): string {
  const addresses = Object.values(networkInterfaces()).flat();
  const address = addresses.find((a) => a?.family === 'IPv4' && !a.internal)?.address;
  if (!address) {
    const seen = addresses.map((a) => a?.address).join(', ') || 'none';
    throw new Error(
      `cannot test the server as another machine reaches it: this machine has no non-loopback IPv4 address (only ${seen}). ` +
        'Chromium treats http://127.0.0.1 and http://localhost as secure contexts, so only such an address shows the page as a teammate on plain http sees it; ' +
        'run this test on a machine with a network interface.',
    );
  }
  return address;
}

describe('the web UI of a shared server (HOST=0.0.0.0, TRAINYARD_API_TOKEN set)', () => {
  let up: Up;
  let browser: BrowserContext;
  /** Through the API, with the token: what the CLI or a teammate does beside the page. */
  let web: WebApi;
  const browsers = testBrowsers();
  beforeAll(async () => {
    up = await startUp({ TRAINYARD_API_TOKEN: TOKEN, HOST: '0.0.0.0' });
    web = webApi(up, { token: TOKEN });
    browser = await launchBrowser();
  });
  afterEach(async () => browsers.closeAfterTest(browser));
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  async function runIds(): Promise<string[]> {
    return (await web.api<RunListResponse>('/api/runs')).items.map((r) => r.id);
  }

  function tokenDialog(page: Page): Locator {
    return page.getByRole('dialog', { name: 'API token needed' });
  }

  async function answer(page: Page, token: string): Promise<void> {
    const dialog = tokenDialog(page);
    await dialog.getByLabel('API token', { exact: true }).fill(token);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Counts every time a `<dialog>` opens in the page from now on, across reloads of the tab. */
  async function countDialogs(page: Page): Promise<() => number> {
    let opened = 0;
    await page.exposeFunction('__dialogOpened', () => (opened += 1));
    const observe = `
      new MutationObserver((records) => {
        for (const record of records) if (record.target instanceof HTMLDialogElement && record.target.open) window.__dialogOpened();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['open'] });
    `;
    // In the document open now, and in every one the tab loads later.
    await page.evaluate(observe);
    await page.addInitScript(observe);
    return () => opened;
  }

  it('asks for the token in a dialog before the first change, sends it, and keeps it for the tab', async () => {
    const page = await openPage(browser, up.url, '/new');
    const dialogs = await countDialogs(page);
    await page.getByText('changes need the API token').waitFor();
    await page.getByLabel('start from').selectOption('notebook-1-multiply');
    await page.getByRole('button', { name: 'Submit' }).click();
    const dialog = tokenDialog(page);
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('TRAINYARD_API_TOKEN');
    await dialog.getByLabel('API token', { exact: true }).fill(TOKEN);
    await screenshot(page, 'token-dialog');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await page.waitForURL(RUN_URL);
    const runs = await web.api<RunListResponse>('/api/runs');
    expect(runs.items.map((r) => r.name)).toContain('notebook-1-multiply');

    // A second change in the same tab, after a reload, does not ask again: the run page opens
    // (its status badge) and no dialog was shown.
    await page.goto(`${up.url}/new`);
    await page.getByRole('button', { name: 'Submit' }).click();
    await dialog.or(page.locator('h1 .status')).waitFor();
    expect(dialogs()).toBe(1);
    expect(page.url()).toMatch(RUN_URL);
  });

  it('a wrong token changes nothing, says why, and is asked again on the next change', async () => {
    const before = await runIds();
    const page = await openPage(await browsers.launch(), up.url, '/new');
    await page.getByRole('button', { name: 'Submit' }).click();
    await answer(page, 'wrong');
    await page.getByText(/UNAUTHORIZED/).waitFor();
    expect(await runIds()).toEqual(before);

    // The 401 forgot the wrong token, so the next change asks again.
    // Enter in the input is OK too.
    await page.getByRole('button', { name: 'Submit' }).click();
    await tokenDialog(page).getByLabel('API token', { exact: true }).fill(TOKEN);
    await page.keyboard.press('Enter');
    await page.waitForURL(RUN_URL);
    expect(await runIds()).toHaveLength(before.length + 1);
  });

  it('a token no HTTP header can carry is refused, not kept, and asked again', async () => {
    const before = await runIds();
    const page = await openPage(await browsers.launch(), up.url, '/new');
    await page.getByRole('button', { name: 'Submit' }).click();
    await answer(page, 'tökén');
    await page.getByText('UNAUTHORIZED: an API token has only visible ASCII characters (no spaces); nothing was changed').waitFor();
    expect(await runIds()).toEqual(before);
    expect(await page.evaluate(`sessionStorage.length`)).toBe(0);
    await page.getByRole('button', { name: 'Submit' }).click();
    await answer(page, TOKEN);
    await page.waitForURL(RUN_URL);
    expect(await runIds()).toHaveLength(before.length + 1);
  });

  it('Cancel and Escape submit nothing and say why', async () => {
    const before = await runIds();
    const page = await openPage(await browsers.launch(), up.url, '/new');
    const submit = page.getByRole('button', { name: 'Submit', exact: true });
    await submit.click();
    const dialog = tokenDialog(page);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('UNAUTHORIZED: no API token given; nothing was changed').waitFor();
    await dialog.waitFor({ state: 'detached' });

    // Escape, on a fresh page so that the message is new.
    await page.reload();
    await submit.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await page.getByText('UNAUTHORIZED: no API token given; nothing was changed').waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect(await runIds()).toEqual(before);
  });

  it('changes started together (a bulk rerun on the runs page) share one dialog', async () => {
    const multiply = await example('notebook-1-multiply');
    const ids = [await web.submit({ ...multiply, name: 'web-token-bulk' }), await web.submit({ ...multiply, name: 'web-token-bulk' })];
    const page = await openPage(await browsers.launch(), up.url, '/?name=web-token-bulk');
    const dialogs = await countDialogs(page);
    for (const id of ids) await page.locator(`[data-run-id="${id}"]`).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Rerun' }).click();
    await answer(page, TOKEN);
    await page.getByRole('status').getByText('rerun: 2 of 2 done').waitFor();
    expect(dialogs()).toBe(1);
  });

  it('reached over plain http from another machine (not a secure context), Copy selects the definition for Ctrl+C', async () => {
    const id = await web.submit(await example('notebook-1-multiply'));
    const page = await openPage(browser, `http://${lanAddress()}:${new URL(up.url).port}`, `/runs/${id}`);
    expect(await page.evaluate('window.isSecureContext')).toBe(false);
    const definition = (await page.getByTestId('definition').textContent()) ?? '';
    expect(definition).toContain('notebook-1-multiply');
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('definition selected: press Ctrl+C').waitFor();
    expect(await page.evaluate('window.getSelection().toString()')).toBe(definition);
  });
});
