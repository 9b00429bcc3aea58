import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { RunDetailView, SubmissionResponse } from '@trainyard/experiments';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import type { Up } from './trainyard-up.js';

/** The HTTP API of a `trainyard up`, which the browser tests use to set up runs and to check what a page shows. */
export interface WebApi {
  /** GET `path`, or POST `body` as JSON; the parsed answer, or an error naming the status and body. */
  api<T>(path: string, body?: unknown): Promise<T>;
  /** Submits a definition (or a sweep); the first run's id. */
  submit(definition: unknown): Promise<string>;
  /** Reads the run until `done` says so; throws with the server's log after `timeoutMs`. */
  waitForRun(id: string, done: (run: RunDetailView) => boolean, timeoutMs?: number): Promise<RunDetailView>;
}

/** `token`: a server with TRAINYARD_API_TOKEN, whose reads and changes need it. */
export function webApi(up: Up, options: { token?: string } = {}): WebApi {
  const authorization: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};

  async function api<T>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${up.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async function submit(definition: unknown): Promise<string> {
    const submitted = await api<SubmissionResponse>('/api/experiments', definition);
    return submitted.runs[0]?.id ?? '';
  }

  async function waitForRun(id: string, done: (run: RunDetailView) => boolean, timeoutMs = 120_000): Promise<RunDetailView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await api<RunDetailView>(`/api/runs/${id}`);
      if (done(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status}\n${up.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return { api, submit, waitForRun };
}

/** The @trainyard/examples package's `name`.json, parsed: the definitions a user starts from. */
export async function example(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(createRequire(import.meta.url).resolve(`@trainyard/examples/${name}.json`), 'utf8')) as Record<string, unknown>;
}

/**
 * A new tab in `context` at `baseUrl` + `path`, whose uncaught errors are printed with the
 * test's output. Close it after the test, passed or failed (see testBrowsers).
 */
export async function openPage(
  context: BrowserContext,
  baseUrl: string,
  path: string,
  options: { sharedWorker?: boolean; timeout?: number } = {},
): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  // As in a browser that has no SharedWorker (the dashboard then opens a live stream per tab).
  if (options.sharedWorker === false) await page.addInitScript('delete window.SharedWorker');
  await page.goto(`${baseUrl}${path}`, options.timeout === undefined ? {} : { timeout: options.timeout });
  return page;
}

/**
 * The New page once its editor has replaced the plain text area it shows while its chunk
 * loads, and knows the schema. A fill before that can land in the text area as React swaps it
 * out, and the text is lost without an error (seen in CI, under load).
 */
export async function openNewPage(context: BrowserContext, baseUrl: string): Promise<Page> {
  const page = await openPage(context, baseUrl, '/new');
  await page.locator('.json-editor[aria-busy="false"]').waitFor();
  return page;
}

/**
 * Closing what a test opened whether it passed or failed, so that a failing test leaves no
 * Chromium or tab behind (and every open tab holds a connection to the server).
 */
export interface TestBrowsers {
  /** A Chromium of the test's own, with a fresh profile: nothing cached, nothing remembered. */
  launch(): Promise<BrowserContext>;
  /** For afterEach: closes the browsers launched since the last call, and every tab of `shared`. */
  closeAfterTest(shared: BrowserContext | undefined): Promise<void>;
}

export function testBrowsers(): TestBrowsers {
  const launched: BrowserContext[] = [];
  return {
    async launch() {
      const context = await launchBrowser();
      launched.push(context);
      return context;
    },
    async closeAfterTest(shared) {
      await Promise.all([...launched.splice(0).map((context) => context.close()), ...(shared?.pages() ?? []).map((page) => page.close())]);
    },
  };
}
