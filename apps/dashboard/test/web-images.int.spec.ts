import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, makeZip, pngBytes } from '@trainyard/data/testing';
import type { DatasetUploadResponse, RunDetailView } from '@trainyard/experiments';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { example, openPage, webApi, type WebApi } from './web-api.js';

/*
 * Images in headless Chromium against a real `trainyard up`: a folder of images' version page
 * (classes, counts, thumbnails), a digit run's test images (misclassified first, a confusion
 * pair opening its images), and predicting from a picked picture and from a drawing.
 */

let up: Up;
let browser: BrowserContext;
let client: WebApi;
let digitsRun: RunDetailView;

/** 8x8 PNGs of a bar across (class `across`) or down (`down`), at a position that varies. */
function barsZip(perClass: number): Buffer {
  const bar = (down: boolean, at: number) => (x: number, y: number) => ((down ? x : y) === at ? [255, 255, 255] : [20, 20, 20]) as [number, number, number];
  return Buffer.from(
    makeZip(['across', 'down'].flatMap((name, c) => Array.from({ length: perClass }, (_, i) => ({ path: `bars/${name}/${i}.png`, data: pngBytes(8, 8, bar(c === 1, i % 8)) })))),
  );
}

beforeAll(async () => {
  up = await startUp();
  browser = await launchBrowser();
  client = webApi(up);
  // The 8x8 digits as images, a few epochs: enough to be mostly right and still make mistakes.
  const digits = { ...(await example('digits-cnn')), epochs: 4 };
  const id = await client.submit(digits);
  digitsRun = await client.waitForRun(id, (run) => run.status === 'SUCCEEDED' || run.status === 'FAILED', 240_000);
  expect(digitsRun.status, digitsRun.error?.message).toBe('SUCCEEDED');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await up?.stop();
});

afterEach(async () => {
  await Promise.all(browser.pages().map((page) => page.close()));
});

async function open(path: string): Promise<Page> {
  return openPage(browser, up.url, path);
}

describe('images in the dashboard', () => {
  it('a folder of images: per-class counts and thumbnails on its version page', async () => {
    const response = await fetch(`${up.url}/api/datasets/bars?filename=bars.zip`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: barsZip(6) });
    expect(response.status).toBe(201);
    expect(((await response.json()) as DatasetUploadResponse).version).toMatchObject({ format: 'images', rows: 12, columns: 2 });
    const page = await open('/datasets/bars/versions/1');
    await expect.poll(() => page.getByTestId('class-count').allTextContents()).toEqual(['6', '6']);
    await expect.poll(() => page.locator('[data-class="across"] canvas').count()).toBe(4);
    await expect.poll(() => page.getByTestId('image-facts').textContent()).toMatch(/12 images in 2 classes · 8 × 8 pixels/);
    // The thumbnail shows the picture: its middle column has the bar's white somewhere, not all one grey.
    // Distinct red values in the drawn thumbnail (this file's types have no DOM: the canvas is described here).
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
    const drawn = await page
      .locator('[data-class="down"] canvas')
      .first()
      .evaluate((element) => {
        const canvas = element as unknown as Canvas;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        return new Set(Array.from(data).filter((_, i) => i % 4 === 0)).size;
      });
    expect(drawn).toBeGreaterThan(1);
    await screenshot(page, 'dataset-images');
  });

  it("a digit run's page shows its test images, misclassified first, and a confusion pair opens its images", async () => {
    const page = await open(`/runs/${digitsRun.id}`);
    const tiles = page.getByTestId('image-grid').locator('li');
    const stored = digitsRun.samples?.length ?? -1;
    // The first 96 (mistakes first), then every one on request.
    await expect.poll(() => tiles.count()).toBe(Math.min(stored, 96));
    const wrong = (digitsRun.samples ?? []).filter((s) => s.truth !== s.predicted);
    expect(wrong.length).toBeGreaterThan(0);
    // The first tiles are the mistakes, outlined.
    await expect.poll(() => tiles.nth(0).getAttribute('class')).toBe('wrong');
    await expect.poll(() => tiles.nth(wrong.length - 1).getAttribute('class')).toBe('wrong');
    await screenshot(page, 'run-images');

    const first = wrong[0];
    await page.getByRole('button', { name: new RegExp(`^true ${first?.truth}, predicted ${first?.predicted}`) }).click();
    const count = wrong.filter((s) => s.truth === first?.truth && s.predicted === first?.predicted).length;
    await expect.poll(() => tiles.count()).toBe(count);
    await expect.poll(() => tiles.evaluateAll((items) => items.map((li) => `${li.getAttribute('data-truth')}>${li.getAttribute('data-predicted')}`))).toEqual(
      Array(count).fill(`${first?.truth}>${first?.predicted}`),
    );
    await page.getByRole('button', { name: 'Show all', exact: true }).click();
    await expect.poll(() => tiles.count()).toBe(Math.min(stored, 96));
    await page.getByRole('button', { name: `Show all ${stored} images` }).click();
    await expect.poll(() => tiles.count()).toBe(stored);
  });

  it('predicts a drawn digit as it is drawn, and a picked picture', async () => {
    const page = await open(`/runs/${digitsRun.id}`);
    const pad = page.getByLabel('drawing pad: draw a digit');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error('the drawing pad has no box');
    // A "1": one stroke down the middle.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(box.x + box.width / 2, box.y + box.height * (0.15 + step * 0.07));
    await page.mouse.up();
    const prediction = page.getByTestId('image-predict').getByTestId('prediction');
    await expect.poll(() => prediction.locator('.prediction-label').textContent()).toMatch(/^→ \d$/);
    await expect.poll(() => page.getByLabel('the input the model sees').count()).toBe(1);
    await screenshot(page, 'run-predict-drawing');

    // A picture: a dark "1" on white paper (the form inverts it to light on dark, as the digits are).
    const dir = await makeTempDir('web-images-');
    const file = join(dir, 'one.png');
    await writeFile(file, pngBytes(40, 40, (x) => (x >= 18 && x <= 22 ? [0, 0, 0] : [255, 255, 255])));
    await page.getByLabel('picture to predict').setInputFiles(file);
    await expect.poll(() => prediction.locator('.prediction-label').textContent()).toMatch(/^→ \d$/);
    const answer = await client.api<{ predictions: { label?: string }[] }>(`/api/runs/${digitsRun.id}/predict`, { inputs: [Array(64).fill(0)] });
    expect(answer.predictions[0]?.label).toMatch(/^\d$/);
  });
});
