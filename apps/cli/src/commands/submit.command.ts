import { readFile } from 'node:fs/promises';
import { jsonValueSchema, MAX_PAGE_SIZE, type JsonValue, type RunView, type SubmissionResponse, type SubmittedRun } from '@trainyard/contract';
import { ApiError, describeApiError, type ApiClient } from '../api-client.js';
import { EXIT, printJson, type CliIo } from '../cli-io.js';
import { describePinned, LocalDatasetError, pinLocalDatasets, type PinnedDataset } from '../datasets/pin-local-datasets.js';
import { followEvents } from '../live-events.js';
import { isFinal, RunBoard } from '../output/run-board.js';
import { runsTable } from '../output/runs-table.js';
import { applyOverrides, type Override } from '../overrides.js';
import { indent } from './validate.command.js';

const POLL_MS = 1_000;

/** `trainyard submit FILE [--wait]`: queues a definition or a sweep through the API. */
export async function submitCommand(
  file: string,
  options: { wait: boolean; json: boolean; signal: AbortSignal; datasetName?: string; overrides?: readonly Override[] },
  api: ApiClient,
  io: CliIo,
): Promise<number> {
  let body: JsonValue;
  try {
    // `--set` changes the definition (a sweep's base) before anything is uploaded or sent.
    body = jsonValueSchema.parse(applyOverrides(JSON.parse(await readFile(file, 'utf8')), options.overrides ?? []));
  } catch (error) {
    io.stderr.write(`${file}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  // A local CSV file goes up first (the server reads no path); the definition then names its version.
  let pinned: PinnedDataset[];
  try {
    ({ body, pinned } = await pinLocalDatasets(body, file, { ...(options.datasetName !== undefined ? { datasetName: options.datasetName } : {}), progress: io.stderr }, api));
  } catch (error) {
    if (!(error instanceof LocalDatasetError)) throw error;
    io.stderr.write(`${file}: ${error.message}; nothing was queued\n`);
    return EXIT.usage;
  }
  for (const p of pinned) (options.json ? io.stderr : io.stdout).write(`${describePinned(p)}\n`);
  if (options.datasetName !== undefined && pinned.length === 0) io.stderr.write(`--dataset-name: ${file} names no local CSV file ("dataset": {"name": "csv", "path": ...}); nothing was uploaded\n`);
  const datasets = pinned.length > 0 ? { datasets: pinned } : {};
  let submitted: SubmissionResponse;
  try {
    submitted = await api.submit(body);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      if (options.json) printJson(io, error.body);
      else io.stderr.write(`${file}: rejected, nothing was queued\n${indent(describeApiError(error))}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (!options.json) describeSubmission(submitted, io);
  if (!options.wait) {
    if (options.json) printJson(io, { ...submitted, runs: submitted.runs.map((r) => ({ ...r, testMetrics: null })), ...datasets });
    return EXIT.ok;
  }
  const runs = await followRuns(submitted.runs, api, options, io);
  if (options.json) {
    printJson(io, { ...(submitted.sweep ? { sweep: submitted.sweep } : {}), runs: runs.map((r) => ({ id: r.id, name: r.name, status: r.status, testMetrics: r.testMetrics })), ...datasets });
  } else {
    io.stdout.write(`\n${runsTable(runs)}\n`);
    for (const run of runs.filter((r) => r.error)) io.stderr.write(`${run.name}: ${run.error?.message ?? ''}\n`);
  }
  return runs.every((r) => r.status === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
}

function describeSubmission(submitted: SubmissionResponse, io: CliIo): void {
  if (submitted.sweep) {
    const { sweep } = submitted;
    const resumed = sweep.created ? '' : ` (resumed: ${sweep.skipped} trials already queued, running or done)`;
    io.stdout.write(`Sweep "${sweep.name}" ${sweep.id}: ${submitted.runs.length} runs queued${resumed}\n`);
  }
  for (const run of submitted.runs) io.stdout.write(`queued ${run.id} ${run.name} (seed ${run.seed})\n`);
}

/** Follows runs until each is final: live epochs from the event stream, statuses by polling. */
export async function followRuns(submittedRuns: SubmittedRun[], api: ApiClient, options: { json: boolean; signal: AbortSignal }, io: CliIo): Promise<RunView[]> {
  const board = new RunBoard(options.json ? io.stderr : io.stdout);
  const latest = new Map<string, RunView>();
  for (const run of submittedRuns) board.track(run.id, run.name, 0);
  const stop = new AbortController();
  const cancel = (): void => stop.abort();
  options.signal.addEventListener('abort', cancel, { once: true });
  const live = followEvents(
    api.baseUrl,
    submittedRuns.map((r) => r.id),
    (event) => board.update(event.runId, { ...(event.status ? { status: event.status } : {}), ...(event.epoch ? { epoch: event.epoch } : {}), ...(event.epochs ? { epochs: event.epochs } : {}), ...(event.metrics ? { metrics: event.metrics } : {}) }),
    stop.signal,
    api.token,
  );
  try {
    while (!stop.signal.aborted) {
      const pending = submittedRuns.filter((r) => !isFinal(latest.get(r.id)?.status ?? 'QUEUED'));
      // A page of runs per request, by id, however many the sweep holds.
      for (let at = 0; at < pending.length; at += MAX_PAGE_SIZE) {
        const ids = pending.slice(at, at + MAX_PAGE_SIZE).map((r) => r.id);
        const page = await api.listRuns({ ids: ids.join(','), limit: String(MAX_PAGE_SIZE) });
        for (const view of page.items) {
          latest.set(view.id, view);
          board.update(view.id, { status: view.status, epoch: view.currentEpoch, epochs: view.epochs });
        }
        const gone = ids.find((id) => !page.items.some((view) => view.id === id));
        if (gone) throw new ApiError(`run ${gone} is no longer on the server`, 404);
      }
      board.draw();
      if (pending.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    stop.abort();
    options.signal.removeEventListener('abort', cancel);
    await live;
  }
  return submittedRuns.map((r) => latest.get(r.id)).filter((r): r is RunView => r !== undefined);
}
