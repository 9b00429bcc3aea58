import type { RunDetailView, SubmissionResponse } from '@trainyard/experiments';
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

export function webApi(up: Up): WebApi {
  async function api<T>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${up.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
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
