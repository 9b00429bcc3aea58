import type { RunDetailView, SubmissionResponse } from '@trainyard/experiments';
import { sumDefinition } from '@trainyard/experiments/testing';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { openPage, testBrowsers, webApi, type WebApi } from './web-api.js';

/*
 * The sweep page in headless Chromium against a real `trainyard up`: the scatter of a parameter
 * against the metric with its log toggle, every trial's curves overlaid, parallel coordinates
 * only from two parameters on, and the best trial marked in green (not the red or pink of errors).
 * What the canvas draws is read from the data attributes the page sets from the charts' options.
 * The worker of `trainyard up` packs a sweep's runs (WORKER_PACK_SIZE 16 by default; these are
 * packable: dense layers, sgd), so a trial's run page says so, linking the pack's other runs.
 */

const BASE = { ...sumDefinition('sweep base', 50), seed: 3, epochs: 3 };
/** One parameter spanning two decades, two seeds each: 6 runs. (At 0.1 this network diverges to an infinite test loss.) */
const LR_SWEEP = { name: 'ws-lr', base: { ...BASE, name: 'ws-lr' }, grid: { 'optimizer.learningRate': [0.0003, 0.003, 0.03] }, repeats: 2 };
/** Two parameters, one seed: 4 runs. */
const TWO_SWEEP = { name: 'ws-two', base: { ...BASE, name: 'ws-two' }, grid: { 'optimizer.learningRate': [0.003, 0.03], 'model.layers[0].units': [2, 4] }, repeats: 1 };

let up: Up;
let browser: BrowserContext;
let web: WebApi;
const sweepIds: Record<string, string> = {};
/** Every run of both sweeps, as recorded once it succeeded. */
let finished: RunDetailView[] = [];
const browsers = testBrowsers();

/** The hue (0-360) and saturation (0-1) of a CSS `rgb(...)` or `#rrggbb` colour. */
function hueOf(color: string): { hue: number; saturation: number } {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  const channels = hex ? hex.slice(1).map((h) => Number.parseInt(h, 16)) : (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const [r, g, b] = channels.map((c) => c / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  if (delta === 0) return { hue: 0, saturation: 0 };
  const hue = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return { hue: (hue * 60 + 360) % 360, saturation: delta / (1 - Math.abs(max + min - 1)) };
}

/** A green, not red, pink or magenta: what the best trial is marked with. */
function expectGreen(color: string | null): void {
  const { hue, saturation } = hueOf(color ?? '');
  expect({ color, green: hue >= 90 && hue <= 170 && saturation > 0.2 }).toEqual({ color, green: true });
}

const computed = (locator: Locator, property: 'color' | 'backgroundColor' | 'boxShadow'): Promise<string> =>
  locator.evaluate((element, name) => {
    const style = element.ownerDocument.defaultView?.getComputedStyle(element);
    return style ? style[name] : '';
  }, property);

describe('the sweep page', () => {
  beforeAll(async () => {
    up = await startUp();
    web = webApi(up);
    const [lr, two] = await Promise.all([LR_SWEEP, TWO_SWEEP].map((sweep) => web.api<SubmissionResponse>('/api/experiments', sweep)));
    browser = await launchBrowser();
    for (const submitted of [lr, two]) {
      if (!submitted?.sweep) throw new Error('no sweep was created');
      sweepIds[submitted.sweep.name] = submitted.sweep.id;
    }
    const runs = [...(lr?.runs ?? []), ...(two?.runs ?? [])];
    finished = await Promise.all(runs.map((r) => web.waitForRun(r.id, (run) => run.status === 'SUCCEEDED')));
  });
  afterEach(async () => browsers.closeAfterTest(browser));
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  const open = (name: string): Promise<Page> => openPage(browser, up.url, `/sweeps/${sweepIds[name] ?? ''}`);

  it('of one parameter: a point per run on a log x axis it can switch off, a curve per trial, no parallel coordinates', async () => {
    const page = await open('ws-lr');
    const scatter = page.locator('[data-chart="parameter scatter"]');
    await expect.poll(() => scatter.getAttribute('data-points')).toBe('6');
    // 0.0003 to 0.03: two decades, so the axis starts in log scale.
    const xAxis = page.locator('[data-x-axis]');
    const logX = page.getByLabel('log x');
    expect(await logX.isChecked()).toBe(true);
    expect(await xAxis.getAttribute('data-x-axis')).toBe('log');
    await logX.uncheck();
    await expect.poll(() => xAxis.getAttribute('data-x-axis')).toBe('value');
    await logX.check();
    await expect.poll(() => xAxis.getAttribute('data-x-axis')).toBe('log');

    const curves = page.locator('[data-curves]');
    await expect.poll(() => curves.getAttribute('data-curves')).toBe('6');
    expect(await page.getByLabel('curve', { exact: true }).inputValue()).toBe('loss');
    const logY = page.getByLabel('log y');
    const wasLog = await logY.isChecked();
    await logY.setChecked(!wasLog);
    await expect.poll(() => curves.getAttribute('data-y-axis')).toBe(wasLog ? 'value' : 'log');
    await page.getByLabel('curve', { exact: true }).selectOption('mae');
    await expect.poll(() => curves.getAttribute('data-curves')).toBe('6');

    expect(await page.locator('[data-chart="parallel coordinates"]').count()).toBe(0);
    expect(await page.getByTestId('curves-limit').count()).toBe(0);
    await screenshot(page, 'sweep-one-parameter');
  });

  it('marks the best trial in green with a star and the word best, in the table and in both charts', async () => {
    const page = await open('ws-lr');
    const best = page.getByTestId('trials').locator('tbody tr', { hasText: '★ best' });
    await expect.poll(() => best.count()).toBe(1);
    const href = await page.getByTestId('best').getByRole('link').getAttribute('href');
    expect(await best.getByRole('link').getAttribute('href')).toBe(href);
    expectGreen(await computed(best.locator('.sweep-best-badge'), 'backgroundColor'));
    expectGreen(await computed(best.locator('td').nth(1), 'backgroundColor'));
    expectGreen(await computed(page.getByTestId('best'), 'color'));
    // No other row is coloured.
    const plain = page.getByTestId('trials').locator('tbody tr').filter({ hasNotText: '★ best' }).first();
    expect(hueOf(await computed(plain.locator('td').nth(1), 'backgroundColor')).saturation).toBe(0);
    await expect.poll(() => page.locator('[data-x-axis]').getAttribute('data-best-color')).not.toBeNull();
    expectGreen(await page.locator('[data-x-axis]').getAttribute('data-best-color'));
    await expect.poll(() => page.locator('[data-curves]').getAttribute('data-best-color')).not.toBeNull();
    expectGreen(await page.locator('[data-curves]').getAttribute('data-best-color'));
  });

  it("says on a packed trial's page that it trained in a pack of N, linking the pack's other runs, which link back", async () => {
    // Which runs a worker packs depends on which jobs its two slots take first: find a pack it recorded in full.
    const packed = finished.find((run) => run.env?.pack?.runIds !== undefined);
    const pack = packed?.env?.pack;
    if (!packed || !pack?.runIds) throw new Error(`no run of the sweeps was recorded as packed: ${JSON.stringify(finished.map((run) => run.env?.pack ?? null))}`);
    const others = pack.runIds.filter((id) => id !== packed.id);
    expect(others).toHaveLength(pack.size - 1);
    const nameOf = new Map(finished.map((run) => [run.id, run.name]));

    const page = await openPage(browser, up.url, `/runs/${packed.id}`);
    await expect.poll(() => page.getByTestId('pack-fact').textContent()).toBe(`pack of ${pack.size}`);
    const row = page.getByTestId('pack');
    expect(await row.textContent()).toContain(`Trained in a pack of ${pack.size} runs`);
    expect(await row.textContent()).toContain("Trained together as one computation. On cpu each run's numbers are the ones it has alone; on wasm");
    const links = row.locator('a[data-pack-run]');
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(others.map((id) => `/runs/${id}`));
    // Named once the page has read their names.
    await expect.poll(() => links.allTextContents()).toEqual(others.map((id) => nameOf.get(id)));
    await screenshot(page, 'run-packed');

    // The link goes to the other run's page, which names the first among its own pack.
    const other = others[0] ?? '';
    await links.first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/runs/${other}`);
    await expect.poll(() => page.locator('h1').textContent()).toContain(nameOf.get(other));
    await expect.poll(() => page.getByTestId('pack-fact').textContent()).toBe(`pack of ${pack.size}`);
    await expect.poll(() => page.getByTestId('pack').locator(`a[data-pack-run="${packed.id}"]`).textContent()).toBe(packed.name);
  });

  it('of two parameters: parallel coordinates, and the scatter shows the parameter picked', async () => {
    const page = await open('ws-two');
    await page.locator('[data-chart="parallel coordinates"][aria-busy="false"]').waitFor();
    const xAxis = page.locator('[data-x-axis]');
    await expect.poll(() => page.locator('[data-chart="parameter scatter"]').getAttribute('data-points')).toBe('4');
    // 0.003 and 0.03: one decade, a linear axis until asked.
    expect(await xAxis.getAttribute('data-x-axis')).toBe('value');
    await page.getByLabel('parameter', { exact: true }).selectOption('model.layers[0].units');
    expect(await page.getByLabel('log x').isChecked()).toBe(false);
    await page.getByLabel('log x').check();
    await expect.poll(() => xAxis.getAttribute('data-x-axis')).toBe('log');
    await expect.poll(() => page.locator('[data-curves]').getAttribute('data-curves')).toBe('4');
    expect(await page.getByText('colour: model.layers[0].units, light 2 → dark 4').count()).toBe(1);
    await screenshot(page, 'sweep-two-parameters');
  });
});
