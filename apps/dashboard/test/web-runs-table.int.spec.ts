import type { RunDetailView, SubmissionResponse } from '@trainyard/experiments';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { example, openPage, testBrowsers, webApi, type WebApi } from './web-api.js';

/*
 * The runs table against a real `trainyard up` (issue 11, items 15 and 16): a sweep's varied
 * parameters as columns, the column picker (remembered after a reload), test-metric headers
 * with one format down a column, a failed run's reason, a rerun's mark and verdict.
 */

let up: Up;
let browser: BrowserContext;
let web: WebApi;
const browsers = testBrowsers();
/** Two trials of the sum adder (learning rates 0.01 and 0.03), one that fails, a rerun of the first trial. */
let trials: RunDetailView[];
let failed: RunDetailView;
let rerun: RunDetailView;

const open = (path: string): Promise<Page> => openPage(browser, up.url, path);
const headCells = (page: Page): Locator => page.locator('[aria-label="runs"] .row.head > div');
const headTexts = async (page: Page): Promise<string[]> => (await headCells(page).allTextContents()).map((t) => t.replace(/[▲▼]/g, '').trim());
/** The text of `runId`'s cell under the header `header`. */
async function cellText(page: Page, runId: string, header: string): Promise<string> {
  const index = (await headTexts(page)).indexOf(header);
  if (index < 0) throw new Error(`no column ${header}`);
  return (await page.locator(`[data-run-id="${runId}"] > div`).nth(index).textContent()) ?? '';
}

describe('the runs table, against a real trainyard up', () => {
  beforeAll(async () => {
    up = await startUp();
    web = webApi(up);
    browser = await launchBrowser();
    const sweep = await example('sweep-sum-small');
    const base = { ...(sweep.base as Record<string, unknown>), epochs: 3 };
    const submitted = await web.api<SubmissionResponse>('/api/experiments', { ...sweep, name: 'wrt-lr', base, grid: { 'optimizer.learningRate': [0.01, 0.03] }, repeats: 1 });
    // The adder without scaling at the largest learning rate allowed: the loss overflows within a few epochs (NON_FINITE_LOSS).
    const failing = await web.submit({ ...base, name: 'wrt-diverges', preprocessing: {}, optimizer: { name: 'sgd', learningRate: 10 }, epochs: 50 });
    const finished = await Promise.all(submitted.runs.map((r) => web.waitForRun(r.id, (run) => run.status === 'SUCCEEDED')));
    const learningRate = (run: RunDetailView): number => Number(run.params?.['optimizer.learningRate']);
    trials = finished.sort((a, b) => learningRate(a) - learningRate(b));
    failed = await web.waitForRun(failing, (run) => run.status === 'FAILED');
    const original = trials[0]?.id ?? '';
    const again = await web.api<SubmissionResponse>(`/api/runs/${original}/rerun`, {});
    rerun = await web.waitForRun(again.runs[0]?.id ?? '', (run) => run.status === 'SUCCEEDED' && run.reproduction !== null);
  });
  afterEach(async () => browsers.closeAfterTest(browser));
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  it("shows a sweep's varied parameter as a column with its short name and its whole path as the tooltip", async () => {
    const page = await open('/');
    await page.locator(`[data-run-id="${rerun.id}"]`).waitFor();
    const header = headCells(page).filter({ hasText: /^learningRate$/ });
    expect(await header.getAttribute('title')).toBe('optimizer.learningRate');
    const [low, high] = trials;
    expect(await cellText(page, low?.id ?? '', 'learningRate')).toBe('0.01');
    expect(await cellText(page, high?.id ?? '', 'learningRate')).toBe('0.03');
    // The rerun is the same trial; the run outside the sweep has no value.
    expect(await cellText(page, rerun.id, 'learningRate')).toBe('0.01');
    expect(await cellText(page, failed.id, 'learningRate')).toBe('—');
    // The trial's name says its parameter by the same short name (the whole name is its tooltip).
    const name = page.locator(`[data-run-id="${high?.id ?? ''}"] .run-name`);
    expect(await name.getByRole('link').textContent()).toBe('wrt-lr learningRate=0.03');
    expect(await name.getAttribute('title')).toBe('wrt-lr optimizer.learningRate=0.03');
    // The table is wider than the page: its header's columns still line up with its rows'.
    const at = async (locator: Locator): Promise<number> => (await locator.boundingBox())?.x ?? NaN;
    const heads = await headTexts(page);
    for (const header of ['status', 'test mae', 'duration']) {
      const index = heads.indexOf(header);
      expect(await at(page.locator(`[data-run-id="${failed.id}"] > div`).nth(index)), header).toBeCloseTo(await at(headCells(page).nth(index)), 0);
    }
    await screenshot(page, 'runs-table');
  });

  it('says the metric columns are test metrics and formats each column one way', async () => {
    const page = await open('/');
    await page.locator(`[data-run-id="${rerun.id}"]`).waitFor();
    const heads = await headTexts(page);
    expect(heads).toContain('test mae');
    expect(heads).toContain('test loss');
    const maes = await Promise.all([...trials, rerun].map((run) => cellText(page, run.id, 'test mae')));
    // One notation and one number of decimals down the column.
    const shape = (text: string): string => text.replace(/\d/g, '9');
    expect(new Set(maes.map(shape)).size, maes.join(', ')).toBe(1);
    for (const [i, run] of [...trials, rerun].entries()) expect(Number(maes[i])).toBeCloseTo(run.testMetrics?.mae ?? NaN, 3);
  });

  it("shows a failed run's reason in its row, the whole message in its tooltip", async () => {
    const page = await open('/');
    const status = page.locator(`[data-run-id="${failed.id}"] > div`).nth((await headTexts(page)).indexOf('status'));
    await expect.poll(() => status.textContent()).toContain(failed.error?.message ?? 'no message');
    expect(await status.getAttribute('title')).toBe(failed.error?.message);
  });

  it('marks a rerun with a link to the run it reruns and its verdict', async () => {
    const page = await open('/');
    const mark = page.locator(`[data-run-id="${rerun.id}"]`).getByTestId('rerun-mark');
    const original = trials[0]?.id ?? '';
    const verdict = rerun.reproduction?.exact ? '✓ exact' : `≠ diverged at epoch ${rerun.reproduction?.exact === false ? rerun.reproduction.firstDivergentEpoch : ''}`;
    await expect.poll(() => mark.textContent()).toBe(`↻ rerun of ${original.slice(0, 8)} ${verdict}`);
    expect(await mark.getByRole('link').getAttribute('href')).toBe(`/runs/${original}`);
    // The original is not marked.
    expect(await page.locator(`[data-run-id="${original}"]`).getByTestId('rerun-mark').count()).toBe(0);
  });

  it('hides and shows a column from the Columns menu, and remembers it after a reload', async () => {
    const page = await open('/');
    await page.locator(`[data-run-id="${rerun.id}"]`).waitFor();
    await page.getByText(/^Columns/).click();
    const learningRate = page.getByRole('group', { name: 'show columns' }).getByLabel('learningRate', { exact: true });
    expect(await learningRate.isChecked()).toBe(true);
    await learningRate.uncheck();
    await expect.poll(() => headTexts(page)).not.toContain('learningRate');
    await screenshot(page, 'runs-table-columns');
    await page.reload();
    await page.locator(`[data-run-id="${rerun.id}"]`).waitFor();
    expect(await headTexts(page)).not.toContain('learningRate');
    expect(await headTexts(page)).toContain('test mae');
    await page.getByText(/^Columns/).click();
    await page.getByRole('group', { name: 'show columns' }).getByLabel('learningRate', { exact: true }).check();
    await expect.poll(() => headTexts(page)).toContain('learningRate');
    await page.reload();
    await page.locator(`[data-run-id="${rerun.id}"]`).waitFor();
    expect(await headTexts(page)).toContain('learningRate');
  });
});
