import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { RunListResponse, SubmissionResponse } from '@trainyard/experiments';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { REPO_ROOT, startUp, type Up } from './trainyard-up.js';

const TOKEN = 'web-test-token';
const RUN_URL = /\/runs\/[0-9a-f-]{36}$/;

/** This machine's first non-loopback IPv4 address: how a teammate would reach a shared server. */
function lanAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
  if (!address) throw new Error('this machine has no non-loopback IPv4 address to reach the server by');
  return address;
}

describe('the web UI of a shared server (HOST=0.0.0.0, TRAINYARD_API_TOKEN set)', () => {
  let up: Up;
  let browser: BrowserContext;
  beforeAll(async () => {
    up = await startUp({ TRAINYARD_API_TOKEN: TOKEN, HOST: '0.0.0.0' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  async function runIds(): Promise<string[]> {
    const runs = (await (await fetch(`${up.url}/api/runs`)).json()) as RunListResponse;
    return runs.items.map((r) => r.id);
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

  /** Counts every time a `<dialog>` opens in the page, across reloads of the tab. */
  async function countDialogs(page: Page): Promise<() => number> {
    let opened = 0;
    await page.exposeFunction('__dialogOpened', () => (opened += 1));
    await page.addInitScript(`
      new MutationObserver((records) => {
        for (const record of records) if (record.target instanceof HTMLDialogElement && record.target.open) window.__dialogOpened();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['open'] });
    `);
    return () => opened;
  }

  it('asks for the token in a dialog before the first change, sends it, and keeps it for the tab', async () => {
    const page = await browser.newPage();
    const dialogs = await countDialogs(page);
    await page.goto(`${up.url}/new`);
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
    const runs = (await (await fetch(`${up.url}/api/runs`)).json()) as RunListResponse;
    expect(runs.items.map((r) => r.name)).toContain('notebook-1-multiply');

    // A second change in the same tab, after a reload, does not ask again: the run page opens
    // (its status badge) and no dialog was shown.
    await page.goto(`${up.url}/new`);
    await page.getByRole('button', { name: 'Submit' }).click();
    await dialog.or(page.locator('h1 .status')).waitFor();
    expect(dialogs()).toBe(1);
    expect(page.url()).toMatch(RUN_URL);
    await page.close();
  });

  it('a wrong token changes nothing, says why, and is asked again on the next change', async () => {
    const context = await launchBrowser();
    const page = await context.newPage();
    const before = await runIds();
    await page.goto(`${up.url}/new`);
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
    await context.close();
  });

  it('Cancel and Escape submit nothing and say why', async () => {
    const context = await launchBrowser();
    const page = await context.newPage();
    const before = await runIds();
    await page.goto(`${up.url}/new`);
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
    await context.close();
  });

  it('changes started together (a bulk rerun on the runs page) share one dialog', async () => {
    const multiply = JSON.parse(await readFile(join(REPO_ROOT, 'examples/notebook-1-multiply.json'), 'utf8')) as Record<string, unknown>;
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(`${up.url}/api/experiments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ ...multiply, name: 'web-token-bulk' }),
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as SubmissionResponse).runs[0]?.id ?? '');
    }
    const context = await launchBrowser();
    const page = await context.newPage();
    const dialogs = await countDialogs(page);
    await page.goto(`${up.url}/?name=web-token-bulk`);
    for (const id of ids) await page.locator(`[data-run-id="${id}"]`).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Rerun' }).click();
    await answer(page, TOKEN);
    await page.getByRole('status').getByText('rerun: 2 of 2 done').waitFor();
    expect(dialogs()).toBe(1);
    await context.close();
  });

  it('reached over plain http from another machine (not a secure context), Copy selects the definition for Ctrl+C', async () => {
    const response = await fetch(`${up.url}/api/experiments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: await readFile(join(REPO_ROOT, 'examples/notebook-1-multiply.json'), 'utf8'),
    });
    const id = ((await response.json()) as SubmissionResponse).runs[0]?.id ?? '';
    const page = await browser.newPage();
    await page.goto(`http://${lanAddress()}:${new URL(up.url).port}/runs/${id}`);
    expect(await page.evaluate('window.isSecureContext')).toBe(false);
    const definition = (await page.getByTestId('definition').textContent()) ?? '';
    expect(definition).toContain('notebook-1-multiply');
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('definition selected: press Ctrl+C').waitFor();
    expect(await page.evaluate('window.getSelection().toString()')).toBe(definition);
    await page.close();
  });
});
