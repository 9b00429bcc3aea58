import { randomBytes } from 'node:crypto';
import { seedRunHistory, openTestDatabase, TEST_REDIS_URL, type RunHistoryCounts, type TestDatabase } from '@trainyard/experiments/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/start-server.js';
import { launchBrowser, screenshot } from './browser.js';

/*
 * The runs table with a team's history behind it: 10,000 runs seeded into PostgreSQL, the
 * real API server and Redis, headless Chromium. The table must page through all of them from
 * the server while keeping only the rows in view in the DOM, and show the right run at every
 * position. (How fast it scrolls is measured by bench/dashboard-browser, not asserted here.)
 */

const RUNS = 10_000;
const ROW_HEIGHT = 32; // runs-page.tsx
const OVERSCAN = 10; // runs-page.tsx: rows rendered above and below the view

/** What the page shows: how many runs are loaded, and the rows in the DOM with their position. */
interface TableState {
  /** The first page of the current filter and order has not come yet (the rows may still be the previous filter's). */
  loading: boolean;
  loaded: number;
  more: boolean;
  scrollHeight: number;
  rows: { top: number; name: string; mae: string; status: string }[];
}

const READ_TABLE = `(() => {
  const box = document.querySelector('[aria-label="runs"]');
  const text = document.querySelector('[data-testid="run-count"]')?.textContent ?? '';
  const head = [...box.querySelectorAll('.row.head > div')].map((cell) => cell.textContent.replace(/[▲▼]/g, '').trim());
  const mae = head.indexOf('test mae');
  return {
    loading: text.startsWith('loading'),
    loaded: Number.parseInt(text, 10),
    more: text.includes('more on scroll'),
    scrollHeight: box.scrollHeight,
    rows: [...box.querySelectorAll('[data-run-id]')].map((row) => ({
      top: Number.parseFloat(row.style.top),
      name: row.querySelector('a')?.textContent ?? '',
      mae: mae >= 0 ? row.children[mae]?.textContent ?? '' : '',
      status: row.querySelector('.status')?.textContent ?? '',
    })),
  };
})()`;

const readTable = (page: Page): Promise<TableState> => page.evaluate<TableState>(READ_TABLE);

async function scrollTo(page: Page, top: number | 'end'): Promise<TableState> {
  await page.evaluate(`(() => {
    const box = document.querySelector('[aria-label="runs"]');
    box.scrollTop = ${top === 'end' ? 'box.scrollHeight' : top};
  })()`);
  // React renders the new window in a task of its own after the scroll event: wait until the first row in the
  // DOM is the one the page computes for this scroll position.
  await page.waitForFunction(`(() => {
    const box = document.querySelector('[aria-label="runs"]');
    const tops = [...box.querySelectorAll('[data-run-id]')].map((row) => Number.parseFloat(row.style.top));
    return tops.length > 0 && Math.min(...tops) === Math.max(0, Math.floor(box.scrollTop / ${ROW_HEIGHT}) - ${OVERSCAN}) * ${ROW_HEIGHT};
  })()`);
  return readTable(page);
}

/** Scrolls to the end again and again, as a user would, until the server has no further page. Returns every state seen. */
async function scrollThroughAll(page: Page): Promise<TableState[]> {
  await expect.poll(async () => (await readTable(page)).loading).toBe(false);
  const seen = [await readTable(page)];
  while (seen.at(-1)?.more) {
    const before = seen.at(-1)?.loaded ?? 0;
    seen.push(await scrollTo(page, 'end'));
    await expect.poll(async () => (await readTable(page)).loaded, { timeout: 15_000 }).toBeGreaterThan(before);
    seen.push(await readTable(page));
  }
  return seen;
}

/** Seeded run i is queued after run i - 1 and its name ends in i. */
const runNumber = (name: string): number => Number(/(\d+)$/.exec(name)?.[1] ?? NaN);

describe('the runs table with 10,000 runs (PostgreSQL, real server, Chromium)', () => {
  let db: TestDatabase;
  let counts: RunHistoryCounts;
  let server: RunningServer;
  let browser: BrowserContext;
  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    counts = await seedRunHistory(db, { runs: RUNS, epochsPerRun: 5 });
    server = await startServer({
      prisma: db.prisma,
      databaseKind: db.kind,
      redisUrl: TEST_REDIS_URL,
      prefix: `test-scale-${randomBytes(4).toString('hex')}`,
      host: '127.0.0.1',
      port: 0,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  it('pages through every run from the server while the DOM holds only the rows in view', async () => {
    expect(counts.runs).toBe(RUNS);
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('[data-run-id]').first().waitFor();
    const first = await readTable(page);
    expect(first.loaded).toBe(200); // one page, not everything
    expect(first.more).toBe(true);

    const states = await scrollThroughAll(page);
    const end = states.at(-1);
    expect(end).toMatchObject({ loaded: RUNS, more: false });
    // 50 pages of 200, and never more than a screenful (and the overscan) of rows in the DOM.
    expect(states.filter((s) => s.loaded > 0).map((s) => s.loaded).filter((n, i, all) => all.indexOf(n) === i)).toHaveLength(RUNS / 200);
    const most = Math.max(...states.map((s) => s.rows.length));
    expect(most).toBeGreaterThan(10);
    expect(most).toBeLessThan(80);
    expect(end?.scrollHeight).toBeGreaterThanOrEqual(RUNS * ROW_HEIGHT);

    // At the bottom, the middle and the top, each row sits where its run belongs: newest first, run 10,000 at row 0.
    for (const at of ['end', 5_000 * ROW_HEIGHT, 1_234 * ROW_HEIGHT, 0] as const) {
      const state = await scrollTo(page, at);
      expect(state.rows.length).toBeGreaterThan(10);
      expect(state.rows.length).toBeLessThan(80);
      for (const row of state.rows) expect(runNumber(row.name)).toBe(RUNS - row.top / ROW_HEIGHT);
    }
    const bottom = await scrollTo(page, 'end');
    expect(bottom.rows.map((r) => runNumber(r.name))).toContain(1);
    await scrollTo(page, 5_000 * ROW_HEIGHT);
    await screenshot(page, 'runs-10000');

    // A row deep in the table opens its run's page.
    const row = page.locator('[data-run-id]').nth(12);
    const name = (await row.locator('a').first().textContent()) ?? '';
    await row.locator('a').first().click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('h1').textContent()).toContain(name);
    expect(await page.locator('.error').count()).toBe(0);
    await page.close();
  });

  it('filtered to SUCCEEDED and sorted by test MAE, the pages join into one ascending list', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?status=SUCCEEDED&sort=metric:mae`);
    await page.locator('[data-run-id]').first().waitFor();
    const states = await scrollThroughAll(page);
    expect(states.at(-1)).toMatchObject({ loaded: counts.succeeded, more: false });

    // Classification runs have no MAE and come last; the regression runs' MAE never decreases down the table.
    const maes: number[] = [];
    for (let top = 0; top < counts.succeeded * ROW_HEIGHT; top += 1_000 * ROW_HEIGHT) {
      const state = await scrollTo(page, top);
      const window = state.rows.sort((a, b) => a.top - b.top).map((r) => Number.parseFloat(r.mae));
      const numbers = window.filter((v) => Number.isFinite(v));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      if (numbers[0] !== undefined) maes.push(numbers[0]);
    }
    expect(maes.length).toBeGreaterThan(3);
    expect(maes).toEqual([...maes].sort((a, b) => a - b));
    const last = await scrollTo(page, 'end');
    expect(last.rows.every((r) => r.mae === '—' || r.mae === '')).toBe(true);
    await page.close();
  });

  it('the sweep filter picks a sweep by name, puts its id in the URL and shows its 50 trials', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('[data-run-id]').first().waitFor();
    const picker = page.getByLabel('sweep');
    await expect.poll(() => picker.locator('option').count()).toBe(counts.sweeps + 1); // "any" and 100 sweeps
    await picker.selectOption({ label: 'seed-sweep-7' });
    await page.waitForURL(/[?&]sweep=[0-9a-f-]{36}/);
    await expect.poll(async () => (await readTable(page)).loaded).toBe(50);
    const table = await readTable(page);
    expect(table.more).toBe(false);
    // Sweep 7 holds runs 301-350.
    expect(table.rows.map((r) => runNumber(r.name)).every((n) => n >= 301 && n <= 350)).toBe(true);
    expect(table.rows.every((r) => r.name.startsWith('seed-sweep-7 '))).toBe(true);

    // The link is shareable: opened fresh, the same filter and the same runs.
    const shared = await browser.newPage();
    await shared.goto(page.url());
    await expect.poll(async () => (await readTable(shared)).loaded).toBe(50);
    // The sweeps' names come with the sweep list, which may answer after the runs.
    await expect.poll(() => shared.getByLabel('sweep').locator('option:checked').textContent()).toBe('seed-sweep-7');
    await shared.close();
    await page.close();
  });

  it('filters by name as typed, kept in the URL; the Runs link clears it and it stays cleared', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('[data-run-id]').first().waitFor();
    const name = page.getByLabel('name');
    await name.fill('seed-sweep-7 ');
    await page.waitForURL((url) => url.searchParams.get('name') === 'seed-sweep-7 ');
    await expect.poll(async () => (await readTable(page)).loaded).toBe(50);
    expect((await readTable(page)).rows.every((r) => r.name.startsWith('seed-sweep-7 '))).toBe(true);

    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.waitForURL((url) => url.search === '');
    expect(await name.inputValue()).toBe('');
    await expect.poll(async () => (await readTable(page)).loaded).toBe(200);
    // The box's old text is not written back to the URL after its debounce.
    await page.waitForTimeout(1_000);
    expect(new URL(page.url()).search).toBe('');
    await page.close();
  });

  it('filters by several statuses at once, ticked in the filter bar and kept in the URL', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('[data-run-id]').first().waitFor();
    // Scrolled down before filtering: the filtered list starts again at its first row.
    expect((await scrollTo(page, 150 * ROW_HEIGHT)).rows.every((r) => r.top > 0)).toBe(true);
    const statuses = page.getByRole('group', { name: 'status' });
    await statuses.getByLabel('FAILED').check();
    await statuses.getByLabel('CANCELLED').check();
    await page.waitForURL(/[?&]status=FAILED(%2C|,)CANCELLED/);
    await expect.poll(async () => (await readTable(page)).loading).toBe(false);
    await expect.poll(async () => (await readTable(page)).rows.map((r) => r.top)).toContain(0);
    const [expected] = await db.sql.transaction((s) =>
      s.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Run" WHERE "status" IN ('FAILED', 'CANCELLED')`),
    );
    const states = await scrollThroughAll(page);
    expect(states.at(-1)).toMatchObject({ loaded: expected?.n, more: false });
    for (const at of [0, 'end'] as const) {
      const state = await scrollTo(page, at);
      expect(new Set(state.rows.map((r) => r.status))).toEqual(new Set(['FAILED', 'CANCELLED']));
    }
    // Unticking one narrows the list.
    await statuses.getByLabel('CANCELLED').uncheck();
    await page.waitForURL((url) => url.searchParams.get('status') === 'FAILED');
    await expect.poll(async () => (await readTable(page)).rows.every((r) => r.status === 'FAILED')).toBe(true);
    await page.close();
  });
});
