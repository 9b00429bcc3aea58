import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cellSchema, isRegisteredDataset, MODEL_FILE_NAMES, type RunDetailView, type RunView } from '@trainyard/contract';
import { describePreprocessor } from '@trainyard/data/describe-preprocessor';
import type { Cell } from '@trainyard/data/tables';
import { z } from 'zod';
import { ApiError, type ApiClient } from '../api-client.js';
import { EXIT, printJson, type CliIo } from '../cli-io.js';
import { formatMetrics, formatNumber } from '../output/format.js';
import { runsTable } from '../output/runs-table.js';
import { followRuns } from './submit.command.js';

const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID_PREFIX = /^[0-9a-f]{4}[0-9a-f-]{0,32}$/;
/** Runs an ambiguous prefix lists (one more is asked for, to say there are more). */
const SHOWN_CANDIDATES = 5;

/**
 * A run id from what a user typed: the full id, or any unique start of it of at least 4 hex
 * digits (as git and docker take a short id; the demo's table shows 8). Ambiguous or unknown:
 * an ApiError (exit 2) that lists the candidates or says none matched.
 */
export async function resolveRunId(typed: string, api: Pick<ApiClient, 'listRuns'>): Promise<string> {
  const prefix = typed.trim().toLowerCase();
  if (FULL_ID.test(prefix)) return prefix;
  if (!ID_PREFIX.test(prefix)) throw new ApiError(`"${typed}" is not a run id: give the id, or its first 4 or more hex digits`, 400);
  const { items } = await api.listRuns({ idPrefix: prefix, limit: String(SHOWN_CANDIDATES + 1) });
  const [only, ...others] = items;
  if (!only) throw new ApiError(`no run id starts with ${prefix} (trainyard ls lists the runs)`, 404);
  if (others.length === 0) return only.id;
  const shown = items.slice(0, SHOWN_CANDIDATES).map((r) => `${r.id} ${r.name} (${r.status})`);
  const more = items.length > SHOWN_CANDIDATES ? ', and more' : '';
  throw new ApiError(`${prefix} is the start of more than one run id (${shown.join('; ')}${more}): give more of its digits`, 400);
}

/** `trainyard ls`: the newest runs, filtered like the dashboard. */
export async function lsCommand(filters: { status?: string; name?: string; sweep?: string; limit?: string; json: boolean }, api: ApiClient, io: CliIo): Promise<number> {
  const page = (await api.listRuns({ status: filters.status, name: filters.name, sweep: filters.sweep, limit: filters.limit ?? '50' }));
  if (filters.json) printJson(io, page);
  else io.stdout.write(page.items.length > 0 ? `${runsTable(page.items)}\n` : 'No runs.\n');
  return EXIT.ok;
}

/** `trainyard show RUN`: everything recorded about a run. */
export async function showCommand(typed: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  const id = await resolveRunId(typed, api);
  const run = await api.getRun(id);
  const { epochs } = await api.epochs(id);
  if (json) {
    printJson(io, { ...run, epochMetrics: epochs });
    return EXIT.ok;
  }
  const lines = [
    `${run.name}  ${run.id}`,
    `status ${run.status} · attempt ${run.attempt} · epoch ${run.currentEpoch}/${run.epochs} · seed ${run.seed} · backend ${run.backend ?? '-'}`,
    `dataset ${datasetLabel(run)}${run.datasetHash ? ` (sha256 ${run.datasetHash.slice(0, 12)}…)` : ''}${run.sweepName ? ` · sweep ${run.sweepName}` : ''}`,
    `queued ${run.queuedAt}${run.startedAt ? ` · started ${run.startedAt}` : ''}${run.finishedAt ? ` · finished ${run.finishedAt}` : ''}`,
  ];
  if (run.error) lines.push(`error (${run.error.kind ?? '?'} ${run.error.code ?? '?'}): ${run.error.message}`);
  if (run.reproducesRunId) lines.push(`reproduces ${run.reproducesRunId}: ${describeReproduction(run.reproduction)}`);
  if (run.testMetrics) lines.push(`test metrics: ${Object.entries(run.testMetrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ')}`);
  if (run.preprocessor) {
    lines.push('', 'preprocessing (fitted on the training part):', ...describePreprocessor(run.preprocessor).map((line) => `  ${line}`));
  }
  if (epochs.length > 0) {
    lines.push('', 'epochs:');
    for (const e of epochs) lines.push(`  ${String(e.epoch).padStart(4)}  ${formatMetrics(e.metrics)}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** A registered dataset with the version the run was pinned to (`flats@1`); a built-in one by its name. */
function datasetLabel(run: RunDetailView): string {
  const { dataset } = run.definition;
  return isRegisteredDataset(dataset) && dataset.version !== undefined ? `${dataset.name}@${dataset.version}` : run.dataset;
}

/** `trainyard cancel RUN`: a queued run stops at once, a running one within a second or an epoch. */
export async function cancelCommand(typed: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  const result = await api.cancel(await resolveRunId(typed, api));
  if (json) printJson(io, result);
  else io.stdout.write(`${result.id}: ${describeCancel(result.status)}\n`);
  return EXIT.ok;
}

function describeCancel(status: RunView['status']): string {
  if (status === 'CANCELLED') return 'cancelled';
  if (status === 'RUNNING') return 'cancel requested; the run stops within a batch';
  return `already ${status}, nothing to cancel`;
}

/** How long `rerun --wait` waits for the reproduction check once the rerun has succeeded. */
const VERDICT_WAIT_MS = 10_000;

/**
 * `trainyard rerun RUN [--wait]`: queues the same definition and seed; the new run records
 * whether it reproduced. `follow.wait` follows it like `submit --wait` (the run board) and ends
 * with its test metrics and the reproduction verdict in words; exit 1 unless it succeeded.
 */
export async function rerunCommand(typed: string, json: boolean, api: ApiClient, io: CliIo, follow: { wait: boolean; signal: AbortSignal } = { wait: false, signal: new AbortController().signal }): Promise<number> {
  const id = await resolveRunId(typed, api);
  const submitted = await api.rerun(id);
  if (!follow.wait) {
    if (json) printJson(io, submitted);
    else for (const run of submitted.runs) io.stdout.write(`queued ${run.id} ${run.name} (reproduces ${id}, seed ${run.seed})\n`);
    return EXIT.ok;
  }
  if (!json) for (const run of submitted.runs) io.stdout.write(`queued ${run.id} ${run.name} (reproduces ${id}, seed ${run.seed})\n`);
  const followed = await followRuns(submitted.runs, api, { json, signal: follow.signal }, io);
  const runs = await Promise.all(followed.map((run) => withVerdict(run, api, follow.signal)));
  if (json) {
    printJson(io, { runs: runs.map((r) => ({ id: r.id, name: r.name, status: r.status, testMetrics: r.testMetrics, reproducesRunId: r.reproducesRunId, reproduction: r.reproduction })) });
  } else {
    io.stdout.write(`\n${runsTable(runs)}\n`);
    for (const run of runs) io.stdout.write(`${describeRerunOutcome(run, id)}\n`);
  }
  return runs.length > 0 && runs.every((r) => r.status === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
}

/** The run as last seen, with its reproduction check once the server has recorded it (it follows the final status closely). */
async function withVerdict(run: RunView, api: Pick<ApiClient, 'getRun'>, signal: AbortSignal): Promise<RunView> {
  const deadline = Date.now() + VERDICT_WAIT_MS;
  let latest = run;
  while (latest.status === 'SUCCEEDED' && latest.reproduction === null && !signal.aborted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    latest = await api.getRun(run.id);
  }
  return latest;
}

/** The last line of `rerun --wait`: the verdict in words, or why there is none. */
export function describeRerunOutcome(run: Pick<RunView, 'id' | 'status' | 'reproduction' | 'error'>, originalId: string): string {
  if (run.status === 'SUCCEEDED') return `${run.id} reproduces ${originalId}: ${describeReproduction(run.reproduction)}`;
  const why = run.error ? `: ${run.error.message}` : '';
  return `${run.id} ${run.status.toLowerCase()}${why}; no reproduction check of ${originalId}`;
}

/** `trainyard export RUN --out DIR`: the trained model as tfjs files beside its preprocessor. */
export async function exportCommand(typed: string, out: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  const id = await resolveRunId(typed, api);
  await mkdir(out, { recursive: true });
  const files: string[] = [];
  for (const name of MODEL_FILE_NAMES) {
    const path = join(out, name);
    await writeFile(path, await api.download(id, name));
    files.push(path);
  }
  if (json) printJson(io, { id, files });
  else io.stdout.write(`Saved ${files.join(', ')}\n`);
  return EXIT.ok;
}

/** `trainyard predict RUN --input JSON`: raw inputs in, outputs in the target's units. */
export async function predictCommand(typed: string, input: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  let rows: Cell[][];
  try {
    rows = z.array(z.array(cellSchema)).parse(JSON.parse(input));
  } catch {
    io.stderr.write('trainyard: --input must be JSON rows of raw cells (numbers, texts for category columns, null for missing), e.g. [[8.3,41,7,1,322,2.6,37.9,-122.2]] or [[52,"north",null]]\n');
    return EXIT.usage;
  }
  const { predictions } = await api.predict(await resolveRunId(typed, api), rows);
  if (json) printJson(io, { predictions });
  else for (const p of predictions) io.stdout.write(`${JSON.stringify(p.input)} -> ${p.label ?? p.output.map(formatNumber).join(', ')}\n`);
  return EXIT.ok;
}

/** The rerun check in words, as the dashboard says it. */
export function describeReproduction(reproduction: RunView['reproduction']): string {
  if (!reproduction) return 'pending (the rerun has not finished)';
  if (reproduction.exact) return `reproduced exactly: ${reproduction.epochs} epochs, every metric equal`;
  const where = reproduction.metric ? ` (${reproduction.metric})` : ' (an epoch is missing)';
  return `not exact: first divergent epoch ${reproduction.firstDivergentEpoch}${where}, largest difference ${formatNumber(reproduction.maxAbsDiff)}`;
}
