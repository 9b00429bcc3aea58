import type { RunDetailView, RunListResponse, SubmissionResponse } from '@trainyard/experiments';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { example, openNewPage, openPage, testBrowsers, webApi, type WebApi } from './web-api.js';

/*
 * The web UI in headless Chromium against a real `trainyard up`: API, worker, Redis and
 * the embedded database. Each test starts from a URL, as a user with a shared link would.
 */

const SUM = {
  name: 'web-sum',
  seed: 7,
  dataset: { name: 'sum', n: 50 },
  preprocessing: { features: 'minmax' },
  split: { test: 0.2 },
  model: {
    layers: [
      { type: 'dense', units: 3, activation: 'linear' },
      { type: 'dense', units: 1, activation: 'linear' },
    ],
  },
  optimizer: { name: 'sgd', learningRate: 0.01 },
  loss: 'mse',
  metrics: ['mae'],
  epochs: 200,
};

let up: Up;
let browser: BrowserContext;
let web: WebApi;
const browsers = testBrowsers();

/** A new tab of the shared browser at `path` of the server. */
const open = (path: string): Promise<Page> => openPage(browser, up.url, path);

describe('the web UI, against a real trainyard up', () => {
  beforeAll(async () => {
    up = await startUp();
    web = webApi(up);
    browser = await launchBrowser();
  });
  afterEach(async () => browsers.closeAfterTest(browser));
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  it('serves the UI on every non-API path and keeps /api 404s as JSON', async () => {
    const page = await fetch(`${up.url}/runs/00000000-0000-0000-0000-000000000000`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<div id="root">');
    const missing = await fetch(`${up.url}/api/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await web.api('/api/config')).toEqual({ tokenRequired: false, publicReads: false, host: '127.0.0.1', local: true });
  });

  it('an invalid definition shows the field path and submits nothing', async () => {
    const before = await web.api<RunListResponse>('/api/runs');
    const page = await openNewPage(browser, up.url);
    await page.getByLabel('definition').fill(JSON.stringify({ ...SUM, name: 'web-invalid', epochs: 0, model: { layers: [{ type: 'dense', units: 1, activation: 'softmaxx' }] } }, null, 2));
    const issues = page.getByTestId('issues');
    await expect.poll(() => issues.textContent()).toContain('epochs');
    expect(await issues.textContent()).toContain('model.layers[0].activation');
    expect(await page.getByRole('button', { name: 'Submit' }).isDisabled()).toBe(true);
    await screenshot(page, 'new-invalid');
    const after = await web.api<RunListResponse>('/api/runs');
    expect(after.items.map((r) => r.id)).toEqual(before.items.map((r) => r.id));
  });

  it('submits a definition from the editor and watches its chart grow until SUCCEEDED', async () => {
    const page = await openNewPage(browser, up.url);
    await page.getByLabel('start from').selectOption('notebook-3-california');
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('valid definition: 1 run');
    // California housing: each epoch takes a noticeable moment, so the page sees the run while it trains
    // (the adder trains a thousand epochs in one burst of events).
    const california = await example('notebook-3-california');
    await page.getByLabel('definition').fill(JSON.stringify({ ...california, name: 'web-live', epochs: 15 }, null, 2));
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('valid definition: 1 run');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() ?? '';

    // Every size the loss chart takes, recorded in the page as it changes.
    await page.evaluate(`
      window.__sizes = [];
      new MutationObserver(() => {
        const chart = document.querySelector('[data-chart="curve loss"]');
        const size = chart ? Number(chart.getAttribute('data-points')) : 0;
        if (size > 0 && window.__sizes.at(-1) !== size) window.__sizes.push(size);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-points'] });
    `);
    await expect.poll(() => page.locator('h1 .status').textContent(), { timeout: 120_000 }).toBe('SUCCEEDED');
    await expect.poll(() => page.locator('[data-chart="curve loss"]').getAttribute('data-points')).toBe('15');
    const seen = (await page.evaluate('window.__sizes')) as number[];
    expect(seen.length, `chart sizes seen: ${seen.join(',')}`).toBeGreaterThan(2);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect((await web.api<RunDetailView>(`/api/runs/${id}`)).status).toBe('SUCCEEDED');
  });

  it('a finished run shows curves, summary, predicted vs true, and predicts on new inputs', async () => {
    const id = await web.submit({ ...SUM, name: 'web-finished', epochs: 1000 });
    await web.waitForRun(id, (r) => r.status === 'SUCCEEDED');
    const page = await open(`/runs/${id}`);
    await page.locator('[data-chart="curve loss"]').waitFor();
    expect(await page.locator('[data-chart="curve mae"]').count()).toBe(1);
    expect(await page.locator('[data-chart="predicted vs true"]').count()).toBe(1);
    const summary = await page.getByTestId('model-summary').textContent();
    expect(summary).toContain('Dense');
    expect(await page.getByTestId('test-metrics').textContent()).toContain('mae');
    await page.getByLabel('a', { exact: true }).fill('4');
    await page.getByLabel('b', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Predict' }).click();
    const prediction = await page.getByTestId('prediction').textContent();
    const value = Number(/→\s*(-?[\d.]+)/.exec(prediction ?? '')?.[1]);
    expect(Math.abs(value - 6), prediction ?? '').toBeLessThan(0.5);
    await screenshot(page, 'run');
  });

  it('a classification run shows a confusion matrix and per-class precision and recall', async () => {
    const iris = await example('iris');
    const id = await web.submit({ ...iris, name: 'web-iris' });
    await web.waitForRun(id, (r) => r.status === 'SUCCEEDED');
    const page = await open(`/runs/${id}`);
    await page.locator('[data-chart="confusion matrix"]').waitFor();
    expect(await page.getByTestId('per-class').textContent()).toContain('setosa');
    await screenshot(page, 'run-classification');
  });

  it('selects two runs on the runs page and compares them', async () => {
    const a = await web.submit({ ...SUM, name: 'web-compare-a', epochs: 50 });
    const b = await web.submit({ ...SUM, name: 'web-compare-b', epochs: 50, optimizer: { name: 'sgd', learningRate: 0.05 } });
    await Promise.all([a, b].map((id) => web.waitForRun(id, (r) => r.status === 'SUCCEEDED')));
    const page = await open('/?name=web-compare');
    await page.locator(`[data-run-id="${a}"]`).waitFor();
    await expect.poll(() => page.locator('[data-run-id]').count()).toBe(2);
    await screenshot(page, 'runs');
    await page.getByLabel('select web-compare-a').check();
    await page.getByLabel('select web-compare-b').check();
    await page.getByRole('button', { name: /Compare/ }).click();
    await page.waitForURL(/\/compare\?runs=/);
    const diff = page.getByTestId('definition-diff');
    await diff.waitFor();
    // "hide identical" is on: only the fields that differ.
    expect(await diff.textContent()).toContain('optimizer.learningRate');
    expect(await diff.textContent()).not.toContain('dataset.name');
    await page.getByLabel('hide identical').uncheck();
    expect(await diff.textContent()).toContain('dataset.name');
    expect(await page.getByTestId('compare-metrics').locator('tr').count()).toBe(2);
    expect(await page.locator('[data-chart="curve loss"]').count()).toBe(1);
    await screenshot(page, 'compare');
  });

  it('shows a run submitted elsewhere on an open runs page, without a reload', async () => {
    const page = await open('/?name=web-elsewhere');
    await page.getByText('0 runs loaded').waitFor();
    // Submitted through the API, as the CLI or another browser would.
    const id = await web.submit({ ...SUM, name: 'web-elsewhere', epochs: 20 });
    await page.locator(`[data-run-id="${id}"]`).waitFor({ timeout: 30_000 });
    await web.waitForRun(id, (r) => r.status === 'SUCCEEDED');
    await page.locator(`[data-run-id="${id}"]`).getByText('SUCCEEDED').waitFor({ timeout: 30_000 });
  });

  it('downloads the charting code only on pages that draw charts', async () => {
    const id = await web.submit({ ...SUM, name: 'web-chart-chunk', epochs: 5 });
    await web.waitForRun(id, (r) => r.status === 'SUCCEEDED');
    // A fresh profile: nothing cached from the other tests.
    const context = await browsers.launch();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.endsWith('.js')) scripts.push(path);
    });
    for (const path of ['/', '/new', '/queue']) {
      await page.goto(`${up.url}${path}`);
      await page.locator('h1').waitFor();
    }
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((path) => path.includes('chart-engine'))).toEqual([]);
    await page.goto(`${up.url}/runs/${id}`);
    await page.locator('[data-chart="curve loss"][aria-busy="false"]').waitFor();
    expect(scripts.filter((path) => path.includes('chart-engine'))).toHaveLength(1);
  });

  it('renders a run name containing <script> as text', async () => {
    const name = '<script>alert(1)</script>';
    const id = await web.submit({ ...SUM, name, epochs: 5 });
    await web.waitForRun(id, (r) => r.status === 'SUCCEEDED');
    let dialogs = 0;
    const page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.goto(`${up.url}/?name=${encodeURIComponent('<script>')}`);
    await page.getByText(name, { exact: true }).waitFor();
    await page.goto(`${up.url}/runs/${id}`);
    await page.getByRole('heading', { name }).waitFor();
    const scripts = await page.locator('script').allTextContents();
    expect(scripts.filter((text) => text.includes('alert'))).toEqual([]);
    expect(dialogs).toBe(0);
  });

  it('shows a sweep: trials, the scatter of its parameter, the best trial and mean ± std per configuration', async () => {
    const spec = await example('sweep-sum-small');
    const submitted = await web.api<SubmissionResponse>('/api/experiments', { ...spec, name: 'web-sweep' });
    await Promise.all(submitted.runs.map((r) => web.waitForRun(r.id, (run) => run.status === 'SUCCEEDED')));
    const page = await open('/');
    await page.getByRole('link', { name: 'web-sweep', exact: true }).first().click();
    await page.waitForURL(/\/sweeps\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('trials').locator('tbody tr').count()).toBe(6);
    await page.locator('[data-chart="parameter scatter"]').waitFor();
    expect(await page.getByTestId('best').textContent()).toMatch(/best: .* \(mae /);
    expect(await page.getByTestId('trials').textContent()).toContain('★');
    // Three learning rates, two seeds each.
    expect(await page.getByTestId('groups').locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('groups').textContent()).toContain('±');
    await screenshot(page, 'sweep');
  });

  it('cancels a running run from its page', async () => {
    // California housing, 1000 epochs: minutes of training, so it is surely running when cancelled.
    const california = await example('notebook-3-california');
    const id = await web.submit({ ...california, name: 'web-cancel', epochs: 1000 });
    await web.waitForRun(id, (r) => r.status === 'RUNNING' && r.currentEpoch > 0);
    const queue = await open('/queue');
    await expect.poll(() => queue.getByTestId('workers').textContent()).toContain('web-cancel');
    await screenshot(queue, 'queue-running');
    await queue.close();
    const page = await open(`/runs/${id}`);
    await page.locator('[data-chart="curve loss"]').waitFor();
    await screenshot(page, 'run-running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('h1 .status').textContent(), { timeout: 60_000 }).toBe('CANCELLED');
    const run = await web.api<RunDetailView>(`/api/runs/${id}`);
    expect(run.status).toBe('CANCELLED');
    expect(run.currentEpoch).toBeLessThan(1000);
  });

  it('shows the queue and the worker of trainyard up, with the run it trains, its epoch and its heartbeat', async () => {
    // California housing, 1000 epochs: it holds the worker until the test cancels it.
    const california = await example('notebook-3-california');
    const id = await web.submit({ ...california, name: 'web-queue-worker', epochs: 1000 });
    const running = await web.waitForRun(id, (r) => r.status === 'RUNNING' && r.currentEpoch > 0);
    const page = await open('/queue');
    // The worker's row is the one that lists the run.
    const row = page.getByTestId('workers').locator('tbody tr').filter({ has: page.locator(`li[data-run-id="${id}"]`) });
    await row.waitFor();
    expect(await row.locator('td').first().textContent()).toBe(running.workerId);
    expect(await row.getByRole('link', { name: 'web-queue-worker' }).getAttribute('href')).toBe(`/runs/${id}`);
    await expect.poll(() => row.locator(`li[data-run-id="${id}"]`).textContent()).toMatch(/epoch [1-9]\d*\/1000/);
    // The backend it trains on, as its runs record it; then how long it has been connected.
    expect(await row.locator('td').nth(2).textContent()).toMatch(/^(wasm|cpu|tensorflow)$/);
    expect(await row.locator('td').nth(3).textContent()).toMatch(/^\d+(\.\d)? s$|min/);
    const heartbeat = row.locator('td').last().locator('time');
    const first = (await heartbeat.getAttribute('datetime')) ?? '';
    expect(Math.abs(Date.parse(first) - Date.now())).toBeLessThan(60_000);
    expect(await heartbeat.textContent()).toMatch(/\d:\d\d:\d\d/);
    // WORKER_HEARTBEAT_MS is 500 and the page reads the queue every 2 s: the time moves on.
    await expect.poll(() => heartbeat.getAttribute('datetime'), { timeout: 15_000 }).not.toBe(first);
    await page.getByText('no API token: bound to 127.0.0.1 only').waitFor();
    await screenshot(page, 'queue');

    await web.api(`/api/runs/${id}/cancel`, {});
    await web.waitForRun(id, (r) => r.status === 'CANCELLED');
    await expect.poll(() => page.locator(`li[data-run-id="${id}"]`).count(), { timeout: 10_000 }).toBe(0);
  });
});
