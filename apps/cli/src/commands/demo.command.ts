import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { MAX_PAGE_SIZE, type SubmittedRun } from '@trainyard/contract';
import { createLogger } from '@trainyard/experiments/config';
import { ApiClient } from '../api-client.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { demoResultsTable, resumedTrials, type DemoRow } from '../demo/demo-results.js';
import { exitIfStillUp } from '../services/shutdown.js';
import { clientHint, describeStartError } from '../services/start-problems.js';
import { isFinal } from '../output/run-board.js';
import { startServices, type Services } from './serve.command.js';
import { followRuns } from './submit.command.js';

/** The notebook's three tasks, in its order, with what the notebook printed for their `predict` rows; then a small sweep. */
const SUBMISSIONS: { file: string; expected?: string }[] = [
  { file: 'notebook-1-multiply.json', expected: '15, -27' },
  { file: 'notebook-2-sum.json', expected: '6, 8' },
  { file: 'notebook-3-california.json' },
  { file: 'sweep-sum-small.json' },
];

/** The notebook's metric (MAE, test part); `trainyard show` and the dashboard have the others. */
const HEADLINE_METRICS = ['mae'];

/**
 * At Ctrl-C the demo's unfinished runs get this long before they go back to the queue (a
 * later `up` or demo trains them), not the 30 s a server's worker gives them by default.
 */
const DEMO_SHUTDOWN_DEADLINE_MS = 1_000;

/** An example's file, found through the @trainyard/examples package, so wherever this file is built to. */
function examplePath(file: string): string {
  return createRequire(import.meta.url).resolve(`@trainyard/examples/${file}`);
}

/**
 * `trainyard demo` (npm run demo): the embedded stack in this process — API, worker and
 * PGlite database, and a private redis-server when none runs — then the notebook's tasks and
 * a small sweep submitted through the API, followed live, a results table with the notebook's
 * headline numbers, and the API left running until Ctrl-C.
 */
export async function demoCommand(options: { signal: AbortSignal; stayUp: boolean; apiToken: string | undefined }, io: CliIo): Promise<number> {
  let services: Services;
  try {
    // The demo shows its runs' progress and results; the service's own lines would interleave
    // with them, so only warnings and errors (a run that fails says why) reach the terminal.
    services = await startServices('up', { logger: createLogger({ level: 'warn' }, io.stderr), privateRedis: true, shutdownDeadlineMs: DEMO_SHUTDOWN_DEADLINE_MS }, io);
  } catch (error) {
    io.stderr.write(`trainyard demo: ${describeStartError(error)}\n`);
    return EXIT.failed;
  }
  const url = services.server?.url ?? '';
  const queue = services.privateRedis ? `, queue on a private redis-server (${services.privateRedis.url}, stopped at exit)` : '';
  io.stderr.write(`trainyard demo: API and dashboard on ${url}, worker on the ${services.worker?.backend ?? '?'} backend${queue}\n`);
  let code: number = EXIT.failed;
  const progress = { unfinished: 0 };
  try {
    code = await demo(url, services, options, io, progress);
    return code;
  } finally {
    if (options.signal.aborted) {
      const back = progress.unfinished > 0 ? `: ${progress.unfinished === 1 ? '1 unfinished run goes' : `${progress.unfinished} unfinished runs go`} back to the queue (a later "trainyard up" or demo trains them)` : '';
      io.stderr.write(`trainyard demo: stopping${back}\n`);
    }
    await services.stop();
    exitIfStillUp(code);
  }
}

async function demo(url: string, services: Services, options: { signal: AbortSignal; stayUp: boolean; apiToken: string | undefined }, io: CliIo, progress: { unfinished: number }): Promise<number> {
  if (options.signal.aborted) return EXIT.interrupted;
  const api = new ApiClient(url, options.apiToken);
  const followed: SubmittedRun[] = [];
  const expected = new Map<string, string>();
  const withPredictions = new Set<string>();
  for (const { file, expected: notebook } of SUBMISSIONS) {
    const submitted = await api.submit(JSON.parse(await readFile(examplePath(file), 'utf8')));
    let earlier: SubmittedRun[] = [];
    if (submitted.sweep && !submitted.sweep.created) {
      // A second demo in this folder: the sweep's trials are already there; they join the table.
      const page = await api.listRuns({ sweep: submitted.sweep.id, limit: String(MAX_PAGE_SIZE) });
      earlier = resumedTrials(page.items, new Set(submitted.runs.map((r) => r.id)), submitted.sweep.skipped).map(({ id, name, status, seed }) => ({ id, name, status, seed }));
    }
    const resumed = submitted.sweep && !submitted.sweep.created ? ` (sweep resumed: ${submitted.sweep.skipped} trials already queued, running or done, shown with their results)` : '';
    io.stdout.write(`submitted ${file}: ${submitted.runs.length} run${submitted.runs.length === 1 ? '' : 's'}${resumed}\n`);
    for (const run of submitted.runs) {
      if (!submitted.sweep) withPredictions.add(run.id);
      if (notebook !== undefined) expected.set(run.id, notebook);
    }
    followed.push(...earlier, ...submitted.runs);
  }
  progress.unfinished = followed.length;
  const finished = await followRuns(followed, api, { json: false, signal: options.signal }, io);
  progress.unfinished = followed.length - finished.filter((r) => isFinal(r.status)).length;
  const rows: DemoRow[] = await Promise.all(
    finished.map(async (run) => ({
      run,
      // The recorded predictions of the definition's `predict` rows (a run that failed has none).
      predictions: withPredictions.has(run.id) && run.status === 'SUCCEEDED' ? await api.getRun(run.id).then((detail) => detail.predictions, () => null) : null,
      ...(expected.has(run.id) ? { expected: expected.get(run.id) } : {}),
    })),
  );
  io.stdout.write(`\n${demoResultsTable(rows, { metrics: HEADLINE_METRICS })}\n`);
  const ok = finished.length === followed.length && finished.every((r) => r.status === 'SUCCEEDED');
  if (options.stayUp && !options.signal.aborted) {
    io.stdout.write(`\nThe API and dashboard are running on ${url}. From another terminal: ${clientHint(url, services.tokenRequired)}. Ctrl-C to stop.\n`);
    await new Promise<void>((resolve) => {
      options.signal.addEventListener('abort', () => resolve(), { once: true });
      process.once('SIGTERM', () => resolve());
    });
  }
  return ok ? EXIT.ok : EXIT.failed;
}
