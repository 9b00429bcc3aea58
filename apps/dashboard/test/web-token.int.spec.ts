import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { RunListResponse } from '@trainyard/experiments';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { example, openPage, testBrowsers, webApi, type WebApi } from './web-api.js';

/** HOST=0.0.0.0 takes a token of at least 32 characters. */
const TOKEN = randomBytes(32).toString('hex');
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

  /**
   * A proxy in front of the server that sees every live-event stream the browser opens (the
   * SharedWorker's too, which Playwright does not see): its status, and how many run events
   * went through it to the browser. Closed after the test.
   */
  async function streamWatch(): Promise<{ url: string; streams: { path: string; status: number; events: number }[]; close(): Promise<void> }> {
    const server = new URL(up.url);
    const streams: { path: string; status: number; events: number }[] = [];
    const proxy = createServer((req, res) => {
      const upstream = request({ host: server.hostname, port: server.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (req.url?.startsWith('/api/events')) {
          const stream = { path: decodeURIComponent(req.url), status: answer.statusCode ?? 0, events: 0 };
          streams.push(stream);
          answer.on('data', (chunk: Buffer) => (stream.events += chunk.toString('utf8').split('event: run\n').length - 1));
        }
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      streams,
      close: () => {
        proxy.closeAllConnections();
        return new Promise((resolve) => proxy.close(() => resolve()));
      },
    };
  }

  it('reads need the token too: a fresh browser asks once, then lists runs, receives live events and downloads a model file', async () => {
    const finished = await web.submit({ ...(await example('notebook-1-multiply')), name: 'web-token-read' });
    await web.waitForRun(finished, (r) => r.status === 'SUCCEEDED');
    // A run that trains for minutes: its epochs are the live events.
    const running = await web.submit({ ...(await example('notebook-3-california')), name: 'web-token-live', epochs: 1000 });
    const watch = await streamWatch();
    try {
      await web.waitForRun(running, (r) => r.status === 'RUNNING');
      // Counting from before the first page loads: its reads ask at once.
      const page = await (await browsers.launch()).newPage();
      page.on('pageerror', (error) => console.error('page error:', error));
      const dialogs = await countDialogs(page);
      await page.goto(`${watch.url}/`);
      const dialog = tokenDialog(page);
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('to show runs');
      // Nothing of the runs is shown before the token is given.
      expect(await page.locator('[data-run-id]').count()).toBe(0);
      await answer(page, TOKEN);
      await page.locator(`[data-run-id="${finished}"]`).waitFor();
      await page.locator(`[data-run-id="${running}"]`).waitFor();

      // The SharedWorker's stream, authorized by the read cookie (EventSource sends no header),
      // opened once the token was given, and run events came through it.
      await expect.poll(() => watch.streams.some((stream) => stream.status === 200 && stream.events > 0), { timeout: 30_000 }).toBe(true);
      expect(watch.streams.map((stream) => stream.status)).not.toContain(401);

      // Same tab, another page: no second dialog. The download link is a plain navigation, also
      // authorized by the read cookie, and saves the server's bytes.
      await page.goto(`${watch.url}/runs/${finished}`);
      const link = page.getByRole('link', { name: 'weights.bin' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(await download.failure()).toBeNull();
      const saved = await readFile((await download.path()) ?? '');
      const served = Buffer.from(await (await fetch(`${up.url}/api/runs/${finished}/model/weights.bin`, { headers: { authorization: `Bearer ${TOKEN}` } })).arrayBuffer());
      expect(saved.length).toBeGreaterThan(0);
      expect(saved.equals(served)).toBe(true);
      // How a tfjs program passes the token.
      expect(await page.getByTestId('load-model').textContent()).toContain(
        `tf.loadLayersModel('${watch.url}/api/runs/${finished}/model/model.json', { requestInit: { headers: { Authorization: 'Bearer <token>' } } })`,
      );
      await screenshot(page, 'token-run');
      expect(dialogs()).toBe(1);
    } finally {
      await web.api(`/api/runs/${running}/cancel`, {});
      await watch.close();
    }
  });

  it('asks for the token in a dialog before the first change, sends it, and keeps it for the tab', async () => {
    const page = await openPage(browser, up.url, '/new');
    const dialogs = await countDialogs(page);
    await page.getByText('reads and changes need the API token').waitFor();
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
    // Another tab of the browser gave the token for reads: its read cookie lets this tab read, but
    // the token itself is kept per tab, so this tab's first change asks.
    const context = await browsers.launch();
    await answer(await openPage(context, up.url, '/queue'), TOKEN);
    const page = await openPage(context, up.url, '/?name=web-token-bulk');
    const dialogs = await countDialogs(page);
    await page.locator(`[data-run-id="${ids[0]}"]`).waitFor();
    expect(dialogs()).toBe(0);
    for (const id of ids) await page.locator(`[data-run-id="${id}"]`).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Rerun' }).click();
    await answer(page, TOKEN);
    await page.getByRole('status').getByText('rerun: 2 of 2 done').waitFor();
    expect(dialogs()).toBe(1);
  });

  it('reached over plain http from another machine (not a secure context), Copy selects the definition for Ctrl+C', async () => {
    const id = await web.submit(await example('notebook-1-multiply'));
    const page = await openPage(browser, `http://${lanAddress()}:${new URL(up.url).port}`, `/runs/${id}`);
    await answer(page, TOKEN);
    expect(await page.evaluate('window.isSecureContext')).toBe(false);
    const definition = (await page.getByTestId('definition').textContent()) ?? '';
    expect(definition).toContain('notebook-1-multiply');
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('definition selected: press Ctrl+C').waitFor();
    expect(await page.evaluate('window.getSelection().toString()')).toBe(definition);
  });
});
