import type { RunListResponse } from '@trainyard/experiments';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startUp, type Up } from './trainyard-up.js';

const TOKEN = 'web-test-token';

describe('the web UI with TRAINYARD_API_TOKEN set', () => {
  let up: Up;
  let browser: BrowserContext;
  beforeAll(async () => {
    up = await startUp({ TRAINYARD_API_TOKEN: TOKEN });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await up?.stop();
  });

  it('asks for the token before the first change, sends it, and keeps it for the tab', async () => {
    const prompts: string[] = [];
    const page = await browser.newPage();
    page.on('dialog', (dialog) => {
      prompts.push(dialog.message());
      void dialog.accept(TOKEN);
    });
    await page.goto(`${up.url}/new`);
    await page.getByText('changes need the API token').waitFor();
    await page.getByLabel('start from').selectOption('notebook-1-multiply');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('API token');
    const runs = (await (await fetch(`${up.url}/api/runs`)).json()) as RunListResponse;
    expect(runs.items.map((r) => r.name)).toContain('notebook-1-multiply');

    // A second change in the same tab does not ask again.
    await page.goto(`${up.url}/new`);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    expect(prompts).toHaveLength(1);
    await page.close();
  });

  it('a wrong token changes nothing and says why', async () => {
    const context = await launchBrowser();
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept('wrong'));
    const before = (await (await fetch(`${up.url}/api/runs`)).json()) as RunListResponse;
    await page.goto(`${up.url}/new`);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText(/UNAUTHORIZED/).waitFor();
    const after = (await (await fetch(`${up.url}/api/runs`)).json()) as RunListResponse;
    expect(after.items).toHaveLength(before.items.length);
    await context.close();
  });
});
