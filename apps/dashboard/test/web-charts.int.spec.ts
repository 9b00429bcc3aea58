import type { EpochListResponse, RunDetailView } from '@trainyard/experiments';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smoothCurve } from '../web/src/smoothing.js';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { example, openPage, webApi, type WebApi } from './web-api.js';

/*
 * The run page's header verdict, definition and predicted-vs-true plot, the curve charts'
 * log scale and smoothing, and compare's legend and duplicate ids, in headless Chromium against
 * a real `trainyard up`. One adder run of 20 epochs, its rerun, and one more adder run.
 */

const EPOCHS = 20;
const LONG_NAME = 'charts-adder at a learning rate of 0.05, a name longer than a chart legend used to show';

let up: Up;
let browser: BrowserContext;
let client: WebApi;
let adder: Record<string, unknown>;
let original: RunDetailView;
let rerun: RunDetailView;
let other: RunDetailView;

const open = (path: string): Promise<Page> => openPage(browser, up.url, path);

/** What a chart draws (chart.tsx exposes it as data attributes, read from the option it draws). */
interface Drawn {
  axes: { x: { type?: string; name?: string; min?: number; max?: number }; y: { type?: string; name?: string; min?: number; max?: number } };
  series: { name: string; points: number; last: number | null }[];
}

async function drawn(chart: Locator): Promise<Drawn> {
  const [axes, series] = await Promise.all([chart.getAttribute('data-axes'), chart.getAttribute('data-series')]);
  return { axes: JSON.parse(axes ?? '{}') as Drawn['axes'], series: JSON.parse(series ?? '[]') as Drawn['series'] };
}

/** Every object's keys in `value`, by path: the order a definition's fields are written in. */
function keyOrders(value: unknown, path = '', out = new Map<string, string[]>()): Map<string, string[]> {
  if (Array.isArray(value)) value.forEach((v, i) => keyOrders(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    out.set(path, Object.keys(value));
    for (const [key, v] of Object.entries(value)) keyOrders(v, `${path}.${key}`, out);
  }
  return out;
}

/** Leaf paths as the compare page names them (`optimizer.learningRate`, `model.layers[0].units`), in order. */
function leafPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) return value.flatMap((v, i) => leafPaths(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).flatMap(([key, v]) => leafPaths(v, path ? `${path}.${key}` : key));
  return [path];
}

describe('the run page and the curve charts, against a real trainyard up', () => {
  beforeAll(async () => {
    up = await startUp();
    client = webApi(up);
    browser = await launchBrowser();
    adder = { ...(await example('notebook-2-sum')), name: 'charts-adder', epochs: EPOCHS };
    const [id, otherId] = await Promise.all([
      client.submit(adder),
      client.submit({ ...adder, name: LONG_NAME, epochs: 5, optimizer: { name: 'sgd', learningRate: 0.05 } }),
    ]);
    original = await client.waitForRun(id, (r) => r.status === 'SUCCEEDED');
    const rerunId = (await client.api<{ runs: { id: string }[] }>(`/api/runs/${id}/rerun`, {})).runs[0]?.id ?? '';
    [rerun, other] = await Promise.all([client.waitForRun(rerunId, (r) => r.status === 'SUCCEEDED'), client.waitForRun(otherId, (r) => r.status === 'SUCCEEDED')]);
  });
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  it("says in the rerun's header, in words, that it reproduced the original exactly, with a link to it", async () => {
    expect(rerun.reproduction).toEqual({ exact: true, epochs: EPOCHS });
    const page = await open(`/runs/${rerun.id}`);
    const verdict = page.locator('h1 + [data-testid="reproduction"]');
    await expect.poll(() => verdict.textContent()).toBe(`Rerun of ${original.id}: reproduced exactly: ${EPOCHS} epochs, every metric equal`);
    expect(await verdict.getByRole('link').getAttribute('href')).toBe(`/runs/${original.id}`);
    // In the header: above the curves, not at the bottom of the page.
    const curves = page.getByRole('heading', { name: 'Curves', exact: true });
    expect((await verdict.boundingBox())?.y).toBeLessThan((await curves.boundingBox())?.y ?? 0);
    await screenshot(page, 'charts-run-rerun');
    await page.close();
  });

  describe("the original's run page", () => {
    // One tab for these tests (each leaves it as it found it): a page load draws five charts.
    let page: Page;
    let loss: Locator;
    beforeAll(async () => {
      page = await open(`/runs/${original.id}`);
      loss = page.locator('[data-chart="curve loss"][aria-busy="false"]');
      await loss.waitFor();
    });
    afterAll(async () => page?.close());

    it('shows the definition in the order a user writes it: the example file\'s order at every depth', async () => {
      const shown = keyOrders(JSON.parse((await page.getByTestId('definition').textContent()) ?? '{}'));
      const written = keyOrders(adder);
      expect([...shown.keys()]).toEqual(expect.arrayContaining([...written.keys()]));
      // The defaults the server filled in are shown too, each in its schema place; what the user wrote keeps its order.
      for (const [path, keys] of written) expect(shown.get(path)?.filter((key) => keys.includes(key)), path || '(top)').toEqual(keys);
      expect(shown.get('')).toEqual(['name', 'description', 'seed', 'dataset', 'preprocessing', 'split', 'model', 'optimizer', 'loss', 'metrics', 'epochs', 'batchSize', 'predict']);
    });

    it('draws predicted vs true square, on one range for both axes with y = x, titled with the target and captioned as a sample of the test rows', async () => {
      const chart = page.locator('[data-chart="predicted vs true"][aria-busy="false"]');
      await chart.waitFor();
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(200);
      expect(Math.abs((box?.width ?? 0) - (box?.height ?? 1))).toBeLessThanOrEqual(1);
      const { axes, series } = await drawn(chart);
      // The adder's target is its dataset's `sum` column.
      expect(original.env?.dataset.targetNames).toEqual(['sum']);
      expect(axes.x).toMatchObject({ type: 'value', name: 'true sum' });
      expect(axes.y).toMatchObject({ type: 'value', name: 'predicted sum' });
      expect([axes.y.min, axes.y.max]).toEqual([axes.x.min, axes.x.max]);
      const samples = original.samples ?? [];
      const values = samples.flatMap((s) => [...(s.truth as number[]), ...(s.predicted as number[])]);
      expect(axes.x.min).toBeLessThan(Math.min(...values));
      expect(axes.x.max).toBeGreaterThan(Math.max(...values));
      expect(series.map((s) => [s.name, s.points])).toEqual([
        ['y = x', 2],
        ['samples', samples.length],
      ]);
      expect(series[0]?.last).toBe(axes.x.max);
      // 50 rows, 20 % held out: 10 test rows, all of them sampled.
      expect(original.env?.split.test).toBe(10);
      expect(await page.getByTestId('sample-caption').textContent()).toBe('A sample of 10 test rows: all of them.');
    });

    it('switches a curve chart to a log y axis and back, that chart only', async () => {
      const mae = page.locator('[data-chart="curve mae"][aria-busy="false"]');
      expect((await drawn(loss)).axes.y.type).toBe('value');
      await page.getByLabel('log scale loss').check();
      await expect.poll(async () => (await drawn(loss)).axes.y.type).toBe('log');
      expect((await drawn(mae)).axes.y.type).toBe('value');
      await screenshot(page, 'charts-run-log');
      await page.getByLabel('log scale loss').uncheck();
      await expect.poll(async () => (await drawn(loss)).axes.y.type).toBe('value');
    });

    it('smooths the curves with the slider, the raw curve kept behind', async () => {
      const { epochs } = await client.api<EpochListResponse>(`/api/runs/${original.id}/epochs`);
      const raw = epochs.map((e) => e.metrics['loss'] ?? NaN);
      expect(raw).toHaveLength(EPOCHS);
      // The adder holds out no validation rows: one curve, train.
      expect((await drawn(loss)).series).toEqual([{ name: 'train', points: EPOCHS, last: raw.at(-1) }]);
      await page.getByLabel('smoothing').fill('0.9');
      await expect.poll(() => page.getByTestId('smoothing-value').textContent()).toBe('0.90');
      await expect.poll(async () => (await drawn(loss)).series.map((s) => s.name)).toEqual(['train (raw)', 'train']);
      const [faint, smoothed] = (await drawn(loss)).series;
      expect(faint).toEqual({ name: 'train (raw)', points: EPOCHS, last: raw.at(-1) });
      expect(smoothed?.points).toBe(EPOCHS);
      expect(smoothed?.last).toBeCloseTo(smoothCurve(raw, 0.9).at(-1) ?? NaN, 10);
      expect(smoothed?.last).not.toBeCloseTo(raw.at(-1) ?? NaN, 6);
      await screenshot(page, 'charts-run-smoothed');
      await page.getByLabel('smoothing').fill('0');
      await expect.poll(async () => (await drawn(loss)).series.map((s) => s.name)).toEqual(['train']);
    });
  });

  describe('compare, with a run listed twice', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open(`/compare?runs=${original.id},${other.id},${original.id}`);
      await page.locator('[data-chart="curve loss"][aria-busy="false"]').waitFor();
    });
    afterAll(async () => page?.close());

    it('shows the run once, and says so', async () => {
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Compare 2 runs');
      expect(await page.getByTestId('duplicates').textContent()).toBe(`Run ${original.id} is listed more than once in the address: shown once.`);
      expect(await page.getByTestId('compare-metrics').locator('tr').count()).toBe(2);
    });

    it('names the runs in full in a legend above the charts, which hides a run on a click', async () => {
      const legend = page.getByTestId('curve-legend');
      expect((await legend.locator('li').allTextContents()).map((text) => text.trim())).toEqual(['charts-adder', LONG_NAME]);
      const loss = page.locator('[data-chart="curve loss"]');
      expect((await drawn(loss)).series.map((s) => s.name)).toEqual(['charts-adder · train', `${LONG_NAME} · train`]);
      await screenshot(page, 'charts-compare');
      const button = legend.getByRole('button', { name: LONG_NAME });
      await button.click();
      await expect.poll(async () => (await drawn(loss)).series.map((s) => s.name)).toEqual(['charts-adder · train']);
      expect(await button.getAttribute('aria-pressed')).toBe('false');
      await button.click();
      await expect.poll(async () => (await drawn(loss)).series).toHaveLength(2);
    });

    it('lists the definitions\' fields in the order a user writes them, not sorted', async () => {
      await page.getByLabel('hide identical').uncheck();
      const shown = await page.getByTestId('definition-diff').locator('tbody tr td:first-child').allTextContents();
      const written = leafPaths(adder);
      expect(shown.filter((path) => written.includes(path))).toEqual(written);
      expect(shown.slice(0, 3)).toEqual(['name', 'description', 'seed']);
    });
  });
});
