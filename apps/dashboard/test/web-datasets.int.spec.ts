import { readFile } from 'node:fs/promises';
import type { DatasetListResponse, RunDetailView } from '@trainyard/experiments';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { openPage, testBrowsers, webApi, type WebApi } from './web-api.js';

/*
 * Datasets in headless Chromium against a real `trainyard up`: a table with a number column
 * that has missing cells, a category column (one missing) and a free-text column, uploaded
 * through the form, shown with its column types, charts and first rows, then trained on.
 */

const COLORS = ['red', 'green', 'blue'];

/** 60 rows: y = 2x + 3 (red), + 6 (green), + 9 (blue); every 7th x missing, one color missing, a note per row (free text). */
function shopTable(): string {
  const lines = ['x,color,note,y'];
  for (let i = 0; i < 60; i++) {
    const x = (i % 10) / 2;
    const color = COLORS[i % 3] ?? 'red';
    const y = 2 * x + 3 * (1 + (i % 3));
    lines.push(`${i % 7 === 3 ? '' : x},${i === 10 ? '' : color},"note ${i}, seen",${y}`);
  }
  return `${lines.join('\n')}\n`;
}

let up: Up;
let browser: BrowserContext;
let web: WebApi;
const browsers = testBrowsers();
const open = (path: string): Promise<Page> => openPage(browser, up.url, path);

async function uploadThroughForm(page: Page, filename: string, text: string, name: string): Promise<void> {
  await page.getByLabel('file', { exact: true }).setInputFiles({ name: filename, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByLabel('name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Upload' }).click();
}

describe('datasets in the web UI, against a real trainyard up', () => {
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

  it('uploads a table through the form and shows its columns, charts and first rows; the list has it', async () => {
    const page = await open('/datasets');
    await uploadThroughForm(page, 'shop.csv', shopTable(), 'web-shop');
    const uploaded = page.getByTestId('uploaded');
    await expect.poll(() => uploaded.textContent()).toMatch(/created web-shop@1 \(60 rows, 4 columns\)/);
    // The list shows it (read again after the upload).
    const row = page.getByTestId('datasets').locator('tbody tr', { hasText: 'web-shop' });
    await expect.poll(() => row.locator('td').allTextContents()).toEqual(['web-shop @1', '1', '60', '4', expect.stringMatching(/bytes|KiB/), expect.any(String), '0']);

    await uploaded.getByRole('link').click();
    await page.getByTestId('columns').waitFor();
    expect(page.url()).toBe(`${up.url}/datasets/web-shop/versions/1`);
    const typeOf = (column: string) => page.locator(`[data-column="${column}"] [data-testid="column-type"]`).textContent();
    expect(await typeOf('x')).toBe('number');
    expect(await typeOf('color')).toBe('category');
    expect(await typeOf('note')).toBe('text');
    expect(await typeOf('y')).toBe('number');
    // Missing counts: every 7th x (i % 7 === 3: 9 of 60), one color.
    expect(await page.locator('[data-column="x"] td').nth(2).textContent()).toBe('9');
    expect(await page.locator('[data-column="color"] td').nth(2).textContent()).toBe('1');
    // A histogram per number column, the top categories' bars for the category.
    expect(await page.locator('[data-column="x"] svg[data-chart="histogram"] rect').count()).toBeGreaterThan(1);
    expect(await page.locator('[data-column="y"] svg[data-chart="histogram"]').count()).toBe(1);
    expect(await page.locator('[data-column="color"] svg[data-chart="categories"] rect').count()).toBe(3);
    expect(await page.locator('[data-column="color"]').textContent()).toMatch(/red \(\d+\)/);
    // The first rows, missing cells said so.
    const preview = page.getByTestId('preview');
    expect(await preview.locator('thead th').allTextContents()).toEqual(['x', 'color', 'note', 'y']);
    expect(await preview.locator('tbody tr').count()).toBe(20);
    expect(await preview.locator('tbody tr').nth(3).locator('td').allTextContents()).toEqual(['(missing)', 'red', 'note 3, seen', '6']);
    // The exact bytes, through the download link (the read cookie authorizes it, the file keeps its name).
    const download = page.getByRole('link', { name: 'Download' });
    expect(await download.getAttribute('href')).toBe(`${up.url}/api/datasets/web-shop/versions/1/file`);
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe('shop.csv');
    expect(await readFile(await file.path(), 'utf8')).toBe(shopTable());
    await screenshot(page, 'dataset-version');

    const listed = await web.api<DatasetListResponse>('/api/datasets');
    expect(listed.items.map((d) => d.name)).toEqual(['web-shop']);
  });

  it('says what is wrong with a file that does not parse, and with a bad name', async () => {
    const page = await open('/datasets');
    await uploadThroughForm(page, 'broken.csv', 'a,b\n1,2\n3,"4\n', 'web-broken');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/PARSE_ERROR: .*line 3/);
    await page.getByLabel('name', { exact: true }).fill('Iris');
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => alert.textContent()).toMatch(/name must be 1 to 64 lowercase/);
    expect((await web.api<DatasetListResponse>('/api/datasets')).items.map((d) => d.name)).not.toContain('web-broken');
  });

  it('trains on the uploaded version: the run links to it, and predicts from a select and an empty cell', async () => {
    const definition = {
      name: 'web-on-shop',
      seed: 7,
      dataset: { name: 'web-shop', target: 'y', features: ['x', 'color'] },
      preprocessing: { features: 'standard' },
      split: { test: 0.2 },
      model: { layers: [{ type: 'dense', units: 1 }] },
      optimizer: { name: 'adam', learningRate: 0.05 },
      loss: 'mse',
      metrics: ['mae'],
      epochs: 60,
    };
    const id = await web.submit(definition);
    const run = await web.waitForRun(id, (r: RunDetailView) => r.status === 'SUCCEEDED' || r.status === 'FAILED');
    expect(run.error, JSON.stringify(run.error)).toBeNull();
    const page = await open(`/runs/${id}`);
    const link = page.getByTestId('dataset-version');
    await expect.poll(() => link.textContent()).toBe('web-shop@1');
    expect(await link.getAttribute('href')).toBe('/datasets/web-shop/versions/1');
    // The fitted preprocessing: x's missing cells get the training part's median, color is one-hot encoded.
    const preprocessing = page.getByTestId('preprocessing');
    expect(await preprocessing.locator('tr', { hasText: /^x/ }).locator('td').allTextContents()).toEqual(['x', 'number', expect.stringMatching(/^median \d/), expect.stringMatching(/^standard \(mean/)]);
    expect(await preprocessing.locator('tr', { hasText: /^color/ }).locator('td').nth(3).textContent()).toMatch(/^one-hot \d: .*blue.*; unseen -> all zeros$/);
    // color is a category: a select of its values (and missing); x may be left empty.
    const color = page.getByLabel('color', { exact: true });
    await color.waitFor();
    expect((await color.locator('option').allTextContents()).sort()).toEqual(['(missing)', ...COLORS].sort());
    await color.selectOption('green');
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect.poll(() => page.getByTestId('prediction').count()).toBe(1);
    expect(await page.getByTestId('prediction').textContent()).toMatch(/→ -?\d/);
    await screenshot(page, 'run-on-dataset');
  });
});
