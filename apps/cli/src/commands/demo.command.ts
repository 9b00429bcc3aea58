import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SubmittedRun } from '@trainyard/contract';
import { createLogger } from '@trainyard/experiments/config';
import { ApiClient } from '../api-client.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { runsTable } from '../output/runs-table.js';
import { startServices } from './serve.command.js';
import { followRuns } from './submit.command.js';

/** The notebook's three tasks, in its order, then a small sweep. */
const SUBMISSIONS = ['notebook-1-multiply.json', 'notebook-2-sum.json', 'notebook-3-california.json', 'sweep-sum-small.json'];

/** An example's file, found through the @trainyard/examples package, so wherever this file is built to. */
function examplePath(file: string): string {
  return createRequire(import.meta.url).resolve(`@trainyard/examples/${file}`);
}

/**
 * `trainyard demo` (npm run demo): the embedded stack in this process — API, worker and
 * PGlite database — then the notebook's tasks and a small sweep submitted through the API,
 * followed live, a results table, and the API left running until Ctrl-C.
 */
export async function demoCommand(options: { signal: AbortSignal; stayUp: boolean; apiToken: string | undefined }, io: CliIo): Promise<number> {
  let services;
  try {
    // The demo shows its runs' progress and results; the service's own lines would interleave
    // with them, so only warnings and errors (a run that fails says why) reach the terminal.
    services = await startServices('up', { logger: createLogger({ level: 'warn' }, io.stderr) }, io);
    io.stderr.write(`trainyard demo: API and dashboard on ${services.server?.url ?? '(none)'}, worker on the ${services.worker?.backend ?? '?'} backend\n`);
  } catch (error) {
    io.stderr.write(`trainyard demo: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
  try {
    const url = services.server?.url ?? '';
    const api = new ApiClient(url, options.apiToken);
    const runs: SubmittedRun[] = [];
    for (const file of SUBMISSIONS) {
      const submitted = await api.submit(JSON.parse(await readFile(examplePath(file), 'utf8')));
      io.stdout.write(`submitted ${file}: ${submitted.runs.length} run${submitted.runs.length === 1 ? '' : 's'}${submitted.sweep && !submitted.sweep.created ? ` (sweep resumed, ${submitted.sweep.skipped} trials already done)` : ''}\n`);
      runs.push(...submitted.runs);
    }
    const finished = await followRuns(runs, api, { json: false, signal: options.signal }, io);
    io.stdout.write(`\n${runsTable(finished)}\n`);
    const ok = finished.every((r) => r.status === 'SUCCEEDED');
    if (options.stayUp && !options.signal.aborted) {
      io.stdout.write(`\nThe API is running on ${url} (try: npx trainyard ls). Ctrl-C to stop.\n`);
      await new Promise<void>((resolve) => {
        options.signal.addEventListener('abort', () => resolve(), { once: true });
        process.once('SIGTERM', () => resolve());
      });
    }
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    await services.stop();
  }
}
