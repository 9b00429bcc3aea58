import { readdir, readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '@trainyard/data';
import type { RunDetailView, RunListResponse, SubmissionResponse, SweepDetailResponse } from '@trainyard/experiments';
import type { BrowserContext, Locator, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { REPO_ROOT, startUp, type Up } from './trainyard-up.js';
import { example, openNewPage, openPage, webApi, type WebApi } from './web-api.js';

/*
 * The run page's details and the runs table's bulk actions in headless Chromium, against a
 * real `trainyard up` (API, worker, Redis, embedded database): what web.int.spec.ts leaves out.
 * Also the live-event streams the tabs hold: a page listens only while it can change, its tabs
 * share one stream through a SharedWorker (web/src/live-hub.ts), and a browser without
 * SharedWorker opens one per listening tab.
 */

let up: Up;
let browser: BrowserContext;
let client: WebApi;
/** Run after each test, passed or failed, once its tabs are closed. */
let cleanups: (() => Promise<void> | void)[] = [];

interface OpenOptions {
  /** Where the dashboard is: the server, or a test's streamWatch(). */
  base?: string;
  /** false: as in a browser that has none. */
  sharedWorker?: boolean;
  timeout?: number;
}

/**
 * A new tab at `path`. Tabs are closed after each test, passed or failed, so that no test's
 * live-event streams outlive it: Chromium opens at most 6 connections to one host.
 */
function open(path: string, { base = up.url, ...options }: OpenOptions = {}): Promise<Page> {
  return openPage(browser, base, path, options);
}

/**
 * The live-event streams that tabs open themselves from now to the end of the test, as
 * path?query. Playwright does not see a SharedWorker's requests: this is the per-tab fallback.
 */
function tabStreams(): string[] {
  const streams: string[] = [];
  const listener = (request: Request): void => {
    const url = new URL(request.url());
    if (url.pathname === '/api/events') streams.push(decodeURIComponent(`${url.pathname}${url.search}`));
  };
  browser.on('request', listener);
  cleanups.push(() => void browser.off('request', listener));
  return streams;
}

/**
 * A proxy in front of the server that sees every live-event stream the browser opens, the
 * SharedWorker's too. Its own origin (another port) also gives the test a SharedWorker of its
 * own, apart from other tests' tabs. `open()`: the streams open now, as path?query.
 */
async function streamWatch(): Promise<{ url: string; open: () => string[] }> {
  const server = new URL(up.url);
  const streams: { path: string; open: boolean }[] = [];
  const proxy = createServer((req, res) => {
    const upstream = request({ host: server.hostname, port: server.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
    if (!req.url?.startsWith('/api/events')) return;
    const stream = { path: decodeURIComponent(req.url), open: true };
    streams.push(stream);
    // The browser closed the stream (or the server ended it).
    res.on('close', () => {
      stream.open = false;
      upstream.destroy();
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    proxy.closeAllConnections();
    return new Promise((resolve) => proxy.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, open: () => streams.filter((s) => s.open).map((s) => s.path) };
}

/** A run that trains for minutes (California housing, 1000 epochs), once it runs; cancelled after the test. */
async function longRun(name: string): Promise<string> {
  const id = await client.submit({ ...(await example('notebook-3-california')), name, epochs: 1000 });
  cleanups.push(async () => void (await client.api(`/api/runs/${id}/cancel`, {})));
  await client.waitForRun(id, (r) => r.status === 'RUNNING');
  return id;
}

/** The run page's section under the heading `title`. */
function section(page: Page, title: string): Locator {
  return page.locator('section', { has: page.getByRole('heading', { name: title, exact: true }) });
}

/** A two-column table's rows as label -> value (the Environment section). */
async function keyValues(table: Locator): Promise<Record<string, string>> {
  const rows = await table.locator('tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  return Object.fromEntries(rows.map(([key, value]) => [key ?? '', value ?? '']));
}

describe('the run page details and the runs table actions, against a real trainyard up', () => {
  beforeAll(async () => {
    up = await startUp();
    client = webApi(up);
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(browser.pages().map((page) => page.close()));
    const done = cleanups;
    cleanups = [];
    for (const cleanup of done) await cleanup();
  });
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  let multiplyId = '';
  let multiply: RunDetailView;

  it("shows a small model's learned weights: the notebook neuron's w and b", async () => {
    multiplyId = await client.submit({ ...(await example('notebook-1-multiply')), name: 'wrd-multiply' });
    multiply = await client.waitForRun(multiplyId, (r) => r.status === 'SUCCEEDED');
    const page = await open(`/runs/${multiplyId}`);
    const weights = section(page, 'Learned weights');
    await weights.waitFor();
    const [layer] = multiply.weights as { layer: string; kernel: number[][]; bias: number[] }[];
    const w = layer?.kernel[0]?.[0] ?? NaN;
    const b = layer?.bias[0] ?? NaN;
    // y = 3x: the neuron has (nearly) learned it in 100 epochs.
    expect(Math.abs(w - 3)).toBeLessThan(0.2);
    expect(Math.abs(b)).toBeLessThan(0.5);
    expect(await weights.getByRole('heading', { level: 3 }).textContent()).toBe(layer?.layer);
    const cells = (name: string): Promise<string[]> => weights.locator('tr', { has: page.locator('th', { hasText: name }) }).locator('td').allTextContents();
    // On which inputs, and the kernel's rows named by feature; shown to 5 significant digits.
    expect(await weights.textContent()).toContain('As trained, on the raw inputs.');
    const kernel = await cells('kernel[x]');
    expect(kernel).toHaveLength(1);
    expect(Number(kernel[0])).toBeCloseTo(w, 4);
    const bias = await cells('bias');
    expect(bias).toHaveLength(1);
    expect(Number(bias[0])).toBeCloseTo(b, 4);
    // The example holds out no test rows (split.test 0): the page says so rather than show an empty table.
    expect(multiply.testMetrics).toEqual({});
    expect(await section(page, 'Test metrics').textContent()).toContain('no rows were held out for testing');
    expect(await page.getByTestId('test-metrics').count()).toBe(0);
    // The definition's predict rows (5 and -9), as the worker predicted them when the run ended.
    const recorded = page.getByTestId('recorded-predictions').locator('tbody tr');
    expect(await recorded.count()).toBe(2);
    const predicted = multiply.predictions as { input: number[]; output: number[] }[];
    expect(predicted.map((p) => p.input)).toEqual([[5], [-9]]);
    for (const [i, p] of predicted.entries()) {
      const cells = await recorded.nth(i).locator('td').allTextContents();
      expect(Number(cells[0])).toBe(p.input[0]);
      expect(Number(cells[1]?.replace('→', '').trim())).toBeCloseTo(p.output[0] ?? NaN, 4);
    }
    expect(Math.abs((predicted[0]?.output[0] ?? NaN) - 15)).toBeLessThan(0.5);
    await screenshot(page, 'run-weights');
  });

  it('shows the environment the run was trained in, as recorded', async () => {
    const page = await open(`/runs/${multiplyId}`);
    const env = multiply.env as { backend: { name: string; versions: Record<string, string> } };
    const table = section(page, 'Environment').locator('table');
    await table.waitFor();
    const shown = await keyValues(table);
    expect(multiply.backend).toBe(env.backend.name);
    expect(shown['backend']).toBe(multiply.backend);
    // The worker is this same Node binary, spawned by trainyard up on this host.
    expect(shown['node']).toBe(process.versions.node);
    expect(shown['tfjs']).toMatch(/^\d+\.\d+\.\d+/);
    for (const [name, version] of Object.entries(env.backend.versions)) expect(shown[name], name).toBe(version);
    expect(shown['host']).toBe(hostname());
    expect(shown['dataset hash']).toBe((await loadDataset({ name: 'multiply' }, { dataHome: '', seed: 0 })).hash);
    expect(shown['seed']).toBe('7');
  });

  it("downloads the model from the page's links: model.json with its topology and the weights.bin it names", async () => {
    const page = await open(`/runs/${multiplyId}`);
    const model = section(page, 'Model');
    const download = async (file: string): Promise<Buffer> => {
      const [saved] = await Promise.all([page.waitForEvent('download'), model.getByRole('link', { name: file, exact: true }).click()]);
      expect(saved.suggestedFilename()).toBe(file);
      return readFile(await saved.path());
    };
    const modelJson = JSON.parse((await download('model.json')).toString('utf8')) as {
      modelTopology?: { class_name?: string; config?: { layers?: unknown[] } };
      weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
    };
    expect(modelJson.modelTopology?.class_name).toBe('Sequential');
    expect(modelJson.modelTopology?.config?.layers).toHaveLength(1);
    const [group] = modelJson.weightsManifest;
    expect(group?.paths).toEqual(['weights.bin']);
    // The weights file holds, as float32 in manifest order, the kernel and bias the page shows.
    const bytes = await download('weights.bin');
    // Copied: a Float32Array needs a 4-byte-aligned offset, which a Buffer's slice need not have.
    const values = new Float32Array(Uint8Array.from(bytes).buffer);
    expect(group?.weights.map((w) => w.shape)).toEqual([[1, 1], [1]]);
    const [layer] = multiply.weights as { kernel: number[][]; bias: number[] }[];
    expect([...values]).toEqual([Math.fround(layer?.kernel[0]?.[0] ?? NaN), Math.fround(layer?.bias[0] ?? NaN)]);
  });

  it('copies the definition to the clipboard', async () => {
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: up.url });
    const page = await open(`/runs/${multiplyId}`);
    await section(page, 'Definition').getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('status').filter({ hasText: 'definition copied' }).waitFor();
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toBe(JSON.stringify(multiply.definition, null, 2));
    expect(JSON.parse(copied)).toMatchObject({ name: 'wrd-multiply', dataset: { name: 'multiply' }, seed: 7 });
  });

  it('reruns from the run page and says the rerun reproduced the original exactly', async () => {
    const page = await open(`/runs/${multiplyId}`);
    await page.locator('h1 .status').getByText('SUCCEEDED').waitFor();
    await page.getByRole('button', { name: 'Rerun' }).click();
    await page.waitForURL((url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(multiplyId));
    const rerunId = page.url().split('/').pop() ?? '';
    const rerun = await client.waitForRun(rerunId, (r) => r.status === 'SUCCEEDED');
    expect(rerun.reproducesRunId).toBe(multiplyId);
    expect(rerun.reproduction).toMatchObject({ exact: true });
    const line = page.getByTestId('reproduction');
    await expect.poll(() => line.textContent(), { timeout: 30_000 }).toContain('reproduced exactly');
    expect(await line.textContent()).toBe(`Rerun of ${multiplyId}: reproduced exactly: 100 epochs, every metric equal`);
    expect(await line.getByRole('link').getAttribute('href')).toBe(`/runs/${multiplyId}`);
    await screenshot(page, 'run-reproduced');
    // The original is no rerun: it has no reproduction line.
    await line.getByRole('link').click();
    await page.waitForURL(`${up.url}/runs/${multiplyId}`);
    await section(page, 'Learned weights').waitFor();
    expect(await page.getByTestId('reproduction').count()).toBe(0);
  });

  it("without SharedWorker, finished runs' tabs open no live-event stream, so a seventh tab still loads", async () => {
    // Chromium opens at most 6 HTTP/1.1 connections to one host, and a live-event stream holds
    // one for as long as it is open: six tabs with a stream each would leave a seventh hanging.
    const streams = tabStreams();
    const tabs = await Promise.all(Array.from({ length: 6 }, () => open(`/runs/${multiplyId}`, { sharedWorker: false })));
    for (const tab of tabs) await section(tab, 'Learned weights').waitFor();
    expect(await tabs[0]?.evaluate('typeof SharedWorker')).toBe('undefined');
    const seventh = await open(`/runs/${multiplyId}`, { sharedWorker: false, timeout: 10_000 });
    await section(seventh, 'Learned weights').waitFor({ timeout: 10_000 });
    expect(streams).toEqual([]);
  });

  it("without SharedWorker, a running run's tab opens its own stream, for that run only", async () => {
    const id = await longRun('wrd-own-stream');
    const streams = tabStreams();
    const page = await open(`/runs/${id}`, { sharedWorker: false });
    await page.getByTestId('epoch-progress').waitFor({ timeout: 10_000 });
    await expect.poll(() => streams, { timeout: 10_000 }).toEqual([`/api/events?runs=${id}`]);
  });

  it('eight tabs of the live runs table share one event stream: a ninth tab loads and a running run still streams there', async () => {
    // Each runs table listens to every run. With a stream per tab, eight tabs would hold all six
    // of Chromium's connections to the host; through the shared worker they hold one.
    const tables = await Promise.all(Array.from({ length: 8 }, () => open('/')));
    for (const table of tables) await table.locator('[data-run-id]').first().waitFor({ timeout: 10_000 });
    const id = await client.submit({ ...(await example('notebook-3-california')), name: 'wrd-many-tabs', epochs: 1000 });
    await client.waitForRun(id, (r) => r.status === 'RUNNING' && r.currentEpoch > 0);
    const ninth = await browser.newPage();
    await ninth.goto(`${up.url}/runs/${id}`, { timeout: 10_000 });
    const progress = ninth.getByTestId('epoch-progress');
    await progress.waitFor({ timeout: 10_000 });
    const epochOf = async (): Promise<number> => Number(/epoch (\d+)/.exec((await progress.textContent()) ?? '')?.[1] ?? NaN);
    const first = await epochOf();
    await expect.poll(epochOf, { timeout: 20_000 }).toBeGreaterThan(first);
    // Every table shows the new run too.
    for (const table of tables) await table.locator(`[data-run-id="${id}"]`).waitFor({ timeout: 10_000 });
    await client.api(`/api/runs/${id}/cancel`, {});
    await ninth.close();
    await Promise.all(tables.map((table) => table.close()));
  });

  it('the tabs\' shared stream asks the server only for the runs they want, for every run while a tab wants all, and closes when none listens', async () => {
    const [a, b] = await Promise.all([longRun('wrd-hub-a'), longRun('wrd-hub-b')]);
    const both = `/api/events?runs=${[a, b].sort().join(',')}`;
    const watch = await streamWatch();
    const pages = [await open(`/runs/${a}`, { base: watch.url })];
    await expect.poll(watch.open, { timeout: 10_000 }).toEqual([`/api/events?runs=${a}`]);
    pages.push(await open(`/runs/${b}`, { base: watch.url }));
    await expect.poll(watch.open, { timeout: 10_000 }).toEqual([both]);
    // A runs table listens to every run.
    const table = await open('/', { base: watch.url });
    await expect.poll(watch.open, { timeout: 10_000 }).toEqual(['/api/events']);
    // Gone again: a filtered stream. The tab says so on pagehide; should that message be lost,
    // the hub's pings notice within two PING_MS (15 s each), hence the 40 s.
    await table.close();
    await expect.poll(watch.open, { timeout: 40_000 }).toEqual([both]);
    // Once the runs are over their pages stop listening: the stream closes, though both tabs stay open.
    await Promise.all([a, b].map((id) => client.api(`/api/runs/${id}/cancel`, {})));
    for (const page of pages) await page.locator('h1 .status').getByText('CANCELLED').waitFor({ timeout: 60_000 });
    await expect.poll(watch.open, { timeout: 10_000 }).toEqual([]);
    expect(pages.map((page) => page.isClosed())).toEqual([false, false]);
  });

  it('the hub forgets tabs that reloaded, closed or stopped answering, and the stream follows the tabs that remain', async () => {
    const id = await longRun('wrd-hub-leave');
    const watch = await streamWatch();
    await open(`/runs/${id}`, { base: watch.url });
    await expect.poll(watch.open, { timeout: 10_000 }).toEqual([`/api/events?runs=${id}`]);
    const table = await open('/', { base: watch.url });
    await expect.poll(watch.open, { timeout: 10_000 }).toEqual(['/api/events']);
    for (let i = 0; i < 3; i++) await table.reload();
    await table.locator(`[data-run-id="${id}"]`).waitFor();
    await table.close();
    // React runs no cleanup when a tab reloads or closes: the page says it leaves, on pagehide.
    // A wait under 15 s tells that from the hub's pings, which notice a silent tab 15-30 s after.
    await expect.poll(watch.open, { timeout: 12_000 }).toEqual([`/api/events?runs=${id}`]);
    // A tab that goes without a word (killed, crashed; here hung) stops answering the pings.
    const hung = await open('/', { base: watch.url });
    await expect.poll(watch.open, { timeout: 10_000 }).toEqual(['/api/events']);
    void hung.evaluate('for (;;);').catch(() => undefined);
    await expect.poll(watch.open, { timeout: 45_000 }).toEqual([`/api/events?runs=${id}`]);
  });

  it('asks for every run when the tabs want more runs than the server takes (200), and passes on only those a tab wants', async () => {
    const [wanted, other] = await Promise.all([longRun('wrd-hub-wanted'), longRun('wrd-hub-other')]);
    const watch = await streamWatch();
    const page = await open('/new', { base: watch.url });
    // A subscriber of the test's own making, on the hub the pages use (its built script), for
    // 201 runs: `wanted` and 200 that do not exist. It speaks as live.ts does: each event comes
    // as JSON text, anything else is a ping, answered with the subscription.
    const hubScript = (await readdir(join(REPO_ROOT, 'apps/dashboard/web/dist/assets'))).find((file) => /^live-hub-.*\.js$/.test(file));
    expect(hubScript).toBeDefined();
    const runs = [wanted, ...Array.from({ length: 200 }, () => crypto.randomUUID())];
    await page.evaluate(`(() => {
      const runs = ${JSON.stringify(runs)};
      window.received = [];
      window.hub = new SharedWorker('/assets/${hubScript}', { type: 'module', name: 'trainyard-live' });
      hub.port.onmessage = ({ data }) =>
        typeof data === 'string' ? received.push(JSON.parse(data).runId) : hub.port.postMessage({ type: 'subscribe', runs });
      hub.port.postMessage({ type: 'subscribe', runs });
    })()`);
    await expect.poll(watch.open, { timeout: 10_000 }).toEqual(['/api/events']);
    const received = (): Promise<string[]> => page.evaluate('received') as Promise<string[]>;
    await expect.poll(async () => (await received()).includes(wanted), { timeout: 20_000 }).toBe(true);
    // `other` goes on training: the stream carried its epochs too, and the hub kept them.
    const epochOf = async (): Promise<number> => (await client.api<RunDetailView>(`/api/runs/${other}`)).currentEpoch;
    const since = await epochOf();
    await expect.poll(epochOf, { timeout: 20_000 }).toBeGreaterThan(since + 1);
    expect(new Set(await received())).toEqual(new Set([wanted]));
  });

  it("shows a failed run's error, its kind and code", async () => {
    // The adder without scaling at the largest learning rate the schema allows: it validates,
    // then the loss overflows within a few epochs and the worker stops it with NON_FINITE_LOSS.
    const id = await client.submit({
      ...(await example('notebook-2-sum')),
      name: 'wrd-diverges',
      preprocessing: {},
      optimizer: { name: 'sgd', learningRate: 10 },
      epochs: 50,
    });
    const run = await client.waitForRun(id, (r) => r.status === 'FAILED');
    expect(run.error).toMatchObject({ kind: 'training', code: 'NON_FINITE_LOSS' });
    const page = await open(`/runs/${id}`);
    const error = page.getByTestId('run-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(`training (NON_FINITE_LOSS): ${run.error?.message}`);
    expect(run.error?.message).toMatch(/^epoch \d+: training loss is (NaN|-?Infinity)$/);
    expect(await page.locator('h1 .status').textContent()).toBe('FAILED');
    // It has no training time, so its duration is its wall time from start to failure.
    expect(run.durationMs).toBe(Date.parse(run.finishedAt ?? '') - Date.parse(run.startedAt ?? ''));
    // A failed run has no model to download or predict with.
    expect(await section(page, 'Model').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Predict' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel' }).isDisabled()).toBe(true);
    await screenshot(page, 'run-failed');
  });

  it('reruns two selected finished runs from the runs table', async () => {
    const multiplyDef = await example('notebook-1-multiply');
    const a = await client.submit({ ...multiplyDef, name: 'wrd-table-a', epochs: 20 });
    const b = await client.submit({ ...multiplyDef, name: 'wrd-table-b', epochs: 20 });
    await Promise.all([a, b].map((id) => client.waitForRun(id, (r) => r.status === 'SUCCEEDED')));
    const page = await open('/?name=wrd-table');
    await expect.poll(() => page.locator('[data-run-id]').count(), { timeout: 10_000 }).toBe(2);
    const rerun = page.getByRole('button', { name: 'Rerun', exact: true });
    expect(await rerun.isDisabled()).toBe(true);
    await page.getByLabel('select wrd-table-a').check();
    await page.getByLabel('select wrd-table-b').check();
    await rerun.click();
    await page.getByRole('status').filter({ hasText: 'rerun: 2 of 2 done' }).waitFor();
    // The new runs are in the table at once (it reloads after a rerun), and they are reruns of a and b.
    await expect.poll(() => page.locator('[data-run-id]').count(), { timeout: 10_000 }).toBe(4);
    const listed = await client.api<RunListResponse>('/api/runs?name=wrd-table');
    const reruns = listed.items.filter((r) => r.reproducesRunId !== null);
    expect(reruns.map((r) => r.reproducesRunId).sort()).toEqual([a, b].sort());
    for (const r of reruns) await page.locator(`[data-run-id="${r.id}"]`).waitFor();
    await Promise.all(reruns.map((r) => client.waitForRun(r.id, (run) => run.status === 'SUCCEEDED')));
  });

  it('cancels a selected running run from the runs table', async () => {
    // California housing, 1000 epochs: minutes of training, so it is surely running when cancelled.
    const id = await client.submit({ ...(await example('notebook-3-california')), name: 'wrd-table-cancel', epochs: 1000 });
    await client.waitForRun(id, (r) => r.status === 'RUNNING' && r.currentEpoch > 0);
    const page = await open('/?name=wrd-table-cancel');
    const row = page.locator(`[data-run-id="${id}"]`);
    await row.getByText('RUNNING').waitFor();
    const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
    expect(await cancel.isDisabled()).toBe(true);
    await row.getByRole('checkbox').check();
    await cancel.click();
    await page.getByRole('status').filter({ hasText: 'cancel: 1 of 1 done' }).waitFor();
    await row.getByText('CANCELLED').waitFor({ timeout: 60_000 });
    const run = await client.api<RunDetailView>(`/api/runs/${id}`);
    expect(run.status).toBe('CANCELLED');
    expect(run.currentEpoch).toBeLessThan(1000);
  });

  it("counts a sweep's runs on the New page: grid combinations × repeats", async () => {
    const sweep = (await example('sweep-sum-small')) as { grid: Record<string, unknown[]>; repeats: number };
    const runs = Object.values(sweep.grid).reduce((n, values) => n * values.length, 1) * sweep.repeats;
    const page = await openNewPage(browser, up.url);
    await page.getByLabel('start from').selectOption('sweep-sum-small');
    const validity = page.getByTestId('validity');
    await expect.poll(() => validity.textContent()).toBe(`valid sweep: ${runs} runs`);
    // One more learning rate and one more repeat: 4 × 3.
    const grown = { ...sweep, grid: { 'optimizer.learningRate': [0.001, 0.003, 0.01, 0.03] }, repeats: 3 };
    await page.getByLabel('definition').fill(JSON.stringify(grown, null, 2));
    await expect.poll(() => validity.textContent()).toBe('valid sweep: 12 runs');
    await page.getByLabel('definition').fill(JSON.stringify({ ...grown, repeats: 1, grid: { 'optimizer.learningRate': [0.01] } }, null, 2));
    await expect.poll(() => validity.textContent()).toBe('valid sweep: 1 run');
  });

  it('shows the sweep by the metric in ?metric=, and the metric chosen on the page goes to the URL', async () => {
    const submitted = await client.api<SubmissionResponse>('/api/experiments', { ...(await example('sweep-sum-small')), name: 'wrd-sweep' });
    await Promise.all(submitted.runs.map((r) => client.waitForRun(r.id, (run) => run.status === 'SUCCEEDED')));
    const sweepId = submitted.sweep?.id ?? '';
    const bestBy = async (metric: string): Promise<NonNullable<SweepDetailResponse['best']>> => {
      const detail = await client.api<SweepDetailResponse>(`/api/sweeps/${sweepId}?metric=${metric}`);
      if (!detail.best) throw new Error(`no best trial by ${metric}`);
      return detail.best;
    };
    const page = await open(`/sweeps/${sweepId}`);
    const heading = page.getByRole('heading', { name: /^Parameters → test / });
    const best = page.getByTestId('best');
    const starred = page.getByTestId('trials').locator('tbody tr', { hasText: '★' });

    /** What the page shows for `metric`: the axis heading, the select, the best trial (by the API's reckoning) and its star. */
    const expectMetric = async (metric: string): Promise<void> => {
      const expected = await bestBy(metric);
      await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe(`Parameters → test ${metric}`);
      expect(await page.getByLabel('metric').inputValue()).toBe(metric);
      await expect.poll(() => best.textContent(), { timeout: 10_000 }).toContain(`(${metric} `);
      expect(await best.getByRole('link').getAttribute('href')).toBe(`/runs/${expected.runId}`);
      expect(await starred.count()).toBe(1);
      expect(await starred.getByRole('link').getAttribute('href')).toBe(`/runs/${expected.runId}`);
    };

    // Without ?metric: the first metric other than loss (mae for a regression).
    await page.locator('[data-chart="parameter scatter"][aria-busy="false"]').waitFor();
    await expectMetric('mae');
    await page.goto(`${up.url}/sweeps/${sweepId}?metric=loss`);
    await expectMetric('loss');
    // r2 is maximized: its best trial is the one with the highest r2.
    await page.getByLabel('metric').selectOption('r2');
    await page.waitForURL(`${up.url}/sweeps/${sweepId}?metric=r2`);
    await expectMetric('r2');
    const trials = (await client.api<SweepDetailResponse>(`/api/sweeps/${sweepId}`)).trials;
    const highest = Math.max(...trials.map((t) => t.testMetrics?.['r2'] ?? -Infinity));
    expect((await bestBy('r2')).value).toBe(highest);
    await screenshot(page, 'sweep-metric-r2');
  });
});
