/**
 * The runs table in a browser with 10,000 runs behind it: does it stay smooth? Seeds a
 * PostgreSQL schema of its own (seedRunHistory: 10,000 runs, 5 epochs each; dropped at the
 * end), starts the real API server over it, opens `/` in headless Chromium and prints:
 *
 * - time to the first rows, and to page through all 10,000 (50 requests of 200, as a user
 *   scrolling to the bottom again and again triggers them);
 * - frame intervals while the table scrolls, driven once per animation frame, the same
 *   back-and-forth pattern over the first 120 rows with 200 runs loaded and with 10,000
 *   loaded (side by side: the ratio shows whether the loaded count costs anything per
 *   frame), then one sweep from top to bottom of all 10,000 at about a screen per frame;
 * - main-thread time per frame in scripts and in style + layout (Chrome DevTools Protocol
 *   Performance metrics: less disturbed by other load than frame intervals), long tasks
 *   (over 50 ms, Chromium's PerformanceObserver), rows in the DOM, the page's JS heap.
 *
 * Headless Chromium without a GPU paints in software, so absolute frame times are those of
 * this machine, not of a user's laptop; asserts nothing.
 *
 *   npm run dashboard-browser -w @trainyard/bench [-- --frames 600 --database-url postgresql://...]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '@trainyard/dashboard';
import { openDatabase } from '@trainyard/experiments';
import { seedRunHistory, TEST_DATABASE_URL, TEST_REDIS_URL } from '@trainyard/experiments/testing';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { quantile } from './stats.js';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '600' },
    'database-url': { type: 'string', default: TEST_DATABASE_URL },
    'redis-url': { type: 'string', default: TEST_REDIS_URL },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const FRAMES = Number(values.frames);
const RUNS = 10_000;
const ROW_HEIGHT = 32; // apps/dashboard/web/src/pages/runs-page.tsx

interface Phase {
  intervals: number[];
  /** Main-thread milliseconds per frame in scripts, and in style + layout (Chrome DevTools Protocol Performance metrics). */
  scriptMs: number;
  layoutMs: number;
  longTasks: number;
  rows: number;
  heapMb: number;
}

/*
 * Runs in the page: scrolls the table to `positions[i]` in frame i and records the interval
 * between consecutive frames (each includes the scroll event, React's render of the new
 * window and the paint). Long tasks are counted by a PerformanceObserver over the phase.
 */
async function measure(positions: number[]): Promise<Phase> {
  const before = await mainThread();
  const phase = await measureInPage(positions);
  const after = await mainThread();
  return { ...phase, scriptMs: (after.script - before.script) / positions.length, layoutMs: (after.layout - before.layout) / positions.length };
}

async function mainThread(): Promise<{ script: number; layout: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const seconds = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { script: 1000 * seconds('ScriptDuration'), layout: 1000 * (seconds('LayoutDuration') + seconds('RecalcStyleDuration')) };
}

function measureInPage(positions: number[]): Promise<Omit<Phase, 'scriptMs' | 'layoutMs'>> {
  const source = `(async (positions) => {
    const box = document.querySelector('[aria-label="runs"]');
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
    observer.observe({ type: 'longtask' });
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    let last = await frame();
    const intervals = [];
    for (const top of positions) {
      box.scrollTop = top;
      const now = await frame();
      intervals.push(now - last);
      last = now;
    }
    await frame();
    observer.disconnect();
    return {
      intervals,
      longTasks,
      rows: box.querySelectorAll('[data-run-id]').length,
      heapMb: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : NaN,
    };
  })(${JSON.stringify(positions)})`;
  return page.evaluate<Omit<Phase, 'scriptMs' | 'layoutMs'>>(source);
}


function report(label: string, phase: Phase): Phase {
  const sorted = [...phase.intervals].sort((a, b) => a - b);
  const over = phase.intervals.filter((ms) => ms > 1000 / 30).length;
  console.log(
    [
      label.padEnd(40),
      String(phase.intervals.length).padStart(6),
      quantile(sorted, 0.5).toFixed(1).padStart(7),
      quantile(sorted, 0.95).toFixed(1).padStart(7),
      (sorted.at(-1) ?? NaN).toFixed(1).padStart(7),
      String(over).padStart(7),
      String(phase.longTasks).padStart(6),
      phase.scriptMs.toFixed(2).padStart(9),
      phase.layoutMs.toFixed(2).padStart(9),
      String(phase.rows).padStart(5),
      phase.heapMb.toFixed(1).padStart(8),
    ].join(' '),
  );
  return phase;
}

/** Back and forth over the first 120 rows, 3 rows a frame: stays clear of the next page's trigger. */
const backAndForth = Array.from({ length: FRAMES }, (_, i) => {
  const step = i % 80;
  return (step < 40 ? step : 80 - step) * 3 * ROW_HEIGHT;
});

const status = async (): Promise<{ loaded: number; more: boolean }> => {
  const text = (await page.getByTestId('run-count').textContent()) ?? '';
  return { loaded: Number.parseInt(text, 10), more: text.includes('more on scroll') };
};

const schema = `bench_browser_${randomBytes(4).toString('hex')}`;
const db = await openDatabase({ databaseUrl: values['database-url'], schema });
const profile = await mkdtemp(join(tmpdir(), 'bench-chromium-'));
let page: Page;
let cdp: CDPSession;
try {
  const seedStart = performance.now();
  const counts = await seedRunHistory(db, { runs: RUNS, epochsPerRun: 5 });
  console.log(`bench/dashboard-browser: ${counts.runs} runs seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (PostgreSQL schema ${schema}), node ${process.version}`);
  const server = await startServer({ prisma: db.prisma, databaseKind: db.kind, redisUrl: values['redis-url'], prefix: `bench-browser-${randomBytes(4).toString('hex')}`, host: '127.0.0.1', port: 0 });
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: values.chromium,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--enable-precise-memory-info', '--disable-frame-rate-limit', '--disable-gpu-vsync'],
  });
  try {
    console.log(`Chromium ${browser.browser()?.version() ?? '?'}, viewport 1400x1000, ${FRAMES} frames per scroll phase\n`);
    page = await browser.newPage();
    cdp = await browser.newCDPSession(page);
    await cdp.send('Performance.enable');
    const opened = performance.now();
    await page.goto(`${server.url}/`);
    await page.locator('[data-run-id]').first().waitFor();
    console.log(`first rows shown ${(performance.now() - opened).toFixed(0)} ms after navigation`);

    console.log(['\nphase'.padEnd(41), 'frames'.padStart(6), 'p50 ms'.padStart(7), 'p95 ms'.padStart(7), 'max ms'.padStart(7), '>33 ms'.padStart(7), 'long'.padStart(6), 'script/f'.padStart(9), 'layout/f'.padStart(9), 'rows'.padStart(5), 'heap MB'.padStart(8)].join(' '));
    await measure(backAndForth.slice(0, 60)); // warm-up: JIT, fonts, first layouts
    const few = report(`200 loaded, rows 0-120 back and forth`, await measure(backAndForth));

    const loadStart = performance.now();
    let requests = 0;
    for (let s = await status(); s.more; s = await status()) {
      await page.evaluate(`(() => { const box = document.querySelector('[aria-label="runs"]'); box.scrollTop = box.scrollHeight; })()`);
      await page.waitForFunction(`Number.parseInt(document.querySelector('[data-testid="run-count"]').textContent, 10) > ${s.loaded}`, undefined, { timeout: 30_000 });
      requests++;
    }
    const loaded = await status();
    console.log(`  (paged to the end: ${loaded.loaded} runs in ${requests} requests, ${((performance.now() - loadStart) / 1000).toFixed(1)} s from the first scroll)`);

    await measure(backAndForth.slice(0, 60));
    const many = report(`${loaded.loaded} loaded, rows 0-120 back and forth`, await measure(backAndForth));
    const perFrame = (RUNS * ROW_HEIGHT) / FRAMES;
    report(`${loaded.loaded} loaded, top to bottom (${Math.round(perFrame / ROW_HEIGHT)} rows/frame)`, await measure(Array.from({ length: FRAMES }, (_, i) => Math.round((i + 1) * perFrame))));
    const p95 = (phase: Phase): number => quantile([...phase.intervals].sort((a, b) => a - b), 0.95);
    console.log(
      `\n${loaded.loaded} runs loaded / 200 loaded, same scroll pattern: frame p95 ${(p95(many) / p95(few)).toFixed(2)}, ` +
        `script per frame ${(many.scriptMs / few.scriptMs).toFixed(2)}, style + layout per frame ${(many.layoutMs / few.layoutMs).toFixed(2)}`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await db.sql.transaction((s) => s.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  await db.close();
  await rm(profile, { recursive: true, force: true });
}
