import type { RunListResponse } from '@trainyard/experiments';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';
import { example, openNewPage, testBrowsers, webApi, type WebApi } from './web-api.js';

/*
 * The New page's editor in headless Chromium against a real `trainyard up`: completion, help
 * and lint from the contract's JSON Schema, "start from" following the text, a submission, and
 * the server's 400 shown at the field. The server allows 60 s per run, so that a definition
 * asking for more passes the page's own checks and is refused by the server only.
 */

const MAX_RUN_SECONDS = 60;

/** A tiny definition, laid out as a user writes it (the optimizer on lines of its own). */
const DEFINITION = {
  name: 'web-editor',
  seed: 3,
  dataset: { name: 'multiply' },
  split: { test: 0 },
  model: { layers: [{ type: 'dense', units: 1 }] },
  optimizer: { name: 'sgd' },
  loss: 'mse',
  epochs: 5,
};
const text = (value: unknown): string => JSON.stringify(value, null, 2);

let up: Up;
let browser: BrowserContext;
let web: WebApi;
const browsers = testBrowsers();

const openNew = (): Promise<Page> => openNewPage(browser, up.url);

/** What the "start from" picker shows. */
const startFrom = async (page: Page): Promise<string> => (await page.getByLabel('start from').locator('option:checked').textContent()) ?? '';

/** What the page says of the text: valid, or its problems (the list, so that a failure says which). */
async function verdict(page: Page): Promise<string> {
  const validity = (await page.getByTestId('validity').textContent()) ?? '';
  return validity.startsWith('valid') ? validity : `${validity}: ${await page.getByTestId('issues').textContent()}`;
}

/** The text of the editor's lint marks (the part of the document each one underlines). */
const marked = (page: Page): Promise<string[]> => page.locator('.cm-lintRange-error').allTextContents();

/** The text of the tooltip shown on hovering `target`. */
async function hoverText(page: Page, target: ReturnType<Page['locator']>): Promise<string> {
  await target.hover();
  const tooltip = page.locator('.cm-tooltip-hover, .cm-tooltip-lint').first();
  await tooltip.waitFor();
  return (await tooltip.textContent()) ?? '';
}

describe('the New page editor, against a real trainyard up', () => {
  beforeAll(async () => {
    up = await startUp({ TRAINYARD_MAX_RUN_SECONDS: String(MAX_RUN_SECONDS) });
    web = webApi(up);
    browser = await launchBrowser();
  });
  afterEach(async () => browsers.closeAfterTest(browser));
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  it('completes the fields of the optimizer, explains a field on hover and flags a value of the wrong type', async () => {
    const page = await openNew();
    const editor = page.getByLabel('definition');
    await editor.fill(text(DEFINITION));
    // A new field in the optimizer object: the completion offers the optimizer's own fields.
    await page.locator('.cm-line', { hasText: '"name": "sgd"' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"lea');
    const completion = page.locator('.cm-tooltip-autocomplete');
    await expect.poll(() => completion.locator('.cm-completionLabel').allTextContents()).toContain('learningRate');
    await screenshot(page, 'new-editor-completion');
    await page.keyboard.press('Enter');
    // Accepted, it is written with the optimizer's default.
    await expect.poll(() => page.locator('.cm-line', { hasText: '"learningRate"' }).textContent()).toContain('"learningRate": 0.01');

    // Help on hover, from the contract's field descriptions.
    // (The first span of a line is its key, as the JSON grammar highlights it.)
    expect(await hoverText(page, page.locator('.cm-line', { hasText: '"epochs"' }).locator('span').first())).toContain('Passes over the training part.');

    // "ten" epochs: marked where it is written, with what was expected.
    await editor.fill(text({ ...DEFINITION, epochs: 'ten' }));
    await expect.poll(() => marked(page)).toEqual(['"ten"']);
    expect(await hoverText(page, page.locator('.cm-lintRange-error'))).toContain('Expected integer but received string');
    await screenshot(page, 'new-editor-lint');

    // A sweep is checked as one: its base is a definition.
    await editor.fill(text({ name: 'web-editor-sweep', base: { ...DEFINITION, epochs: 'ten' }, grid: { 'optimizer.learningRate': [0.01, 0.1] } }));
    await expect.poll(() => marked(page)).toEqual(['"ten"']);
    await editor.fill(text({ name: 'web-editor-sweep', base: DEFINITION, grid: { 'optimizer.learningRate': [0.01, 0.1] } }));
    await expect.poll(() => marked(page)).toEqual([]);
  });

  it('"start from" follows the text: the example it holds, "(edited)" after an edit, and asks before discarding edits', async () => {
    const page = await openNew();
    expect(await startFrom(page)).toBe('notebook-2-sum');
    const editor = page.getByLabel('definition');
    await editor.fill(text(DEFINITION));
    await expect.poll(() => startFrom(page)).toBe('(edited)');

    // Choosing an example over edits asks first; declined, the edits stay.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByLabel('start from').selectOption('iris');
    expect(asked).toEqual([expect.stringContaining('iris')]);
    expect(await startFrom(page)).toBe('(edited)');
    await expect.poll(() => page.locator('.cm-content').textContent()).toContain('"web-editor"');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('start from').selectOption('iris');
    await expect.poll(() => startFrom(page)).toBe('iris');
    await expect.poll(() => page.locator('.cm-content').textContent()).toContain('"name": "iris"');

    // An example's JSON pasted in another layout and key order selects that example.
    const multiply = await example('notebook-1-multiply');
    await editor.fill(JSON.stringify(Object.fromEntries(Object.entries(multiply).reverse())));
    await expect.poll(() => startFrom(page)).toBe('notebook-1-multiply');
  });

  it('submits a definition edited in the editor, which creates the run', async () => {
    const page = await openNew();
    await page.getByLabel('definition').fill(text({ ...DEFINITION, name: 'web-editor-run' }));
    await expect.poll(() => verdict(page)).toBe('valid definition: 1 run');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() ?? '';
    const run = await web.waitForRun(id, (r) => r.status === 'SUCCEEDED');
    expect(run.name).toBe('web-editor-run');
  });

  it("shows the server's 400 at the field it names, in the editor and in the list", async () => {
    const before = await web.api<RunListResponse>('/api/runs');
    const page = await openNew();
    const editor = page.getByLabel('definition');
    await editor.fill(text({ ...DEFINITION, name: 'web-editor-refused', timeLimitSeconds: 120 }));
    await expect.poll(() => verdict(page)).toBe('valid definition: 1 run');
    await page.getByRole('button', { name: 'Submit' }).click();
    const message = `timeLimitSeconds: must be <= ${MAX_RUN_SECONDS} (this server's TRAINYARD_MAX_RUN_SECONDS)`;
    await expect.poll(() => page.getByTestId('issues').textContent()).toContain(message);
    await expect.poll(() => marked(page)).toEqual(['120']);
    expect(await hoverText(page, page.locator('.cm-lintRange-error'))).toContain(message);
    await screenshot(page, 'new-editor-refused');
    expect((await web.api<RunListResponse>('/api/runs')).items.map((r) => r.id)).toEqual(before.items.map((r) => r.id));

    // Once the text changes, the server's verdict no longer applies to it.
    await editor.fill(text({ ...DEFINITION, name: 'web-editor-refused', timeLimitSeconds: 30 }));
    await expect.poll(() => marked(page)).toEqual([]);
  });
});
