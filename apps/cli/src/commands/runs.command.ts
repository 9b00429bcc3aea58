import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILE_NAMES, type RunView } from '@trainyard/contract';
import type { ApiClient } from '../api-client.js';
import { EXIT, printJson, type CliIo } from '../cli-io.js';
import { formatMetrics, formatNumber } from '../output/format.js';
import { runsTable } from '../output/runs-table.js';

/** `trainyard ls`: the newest runs, filtered like the dashboard. */
export async function lsCommand(filters: { status?: string; name?: string; sweep?: string; limit?: string; json: boolean }, api: ApiClient, io: CliIo): Promise<number> {
  const page = (await api.listRuns({ status: filters.status, name: filters.name, sweep: filters.sweep, limit: filters.limit ?? '50' }));
  if (filters.json) printJson(io, page);
  else io.stdout.write(page.items.length > 0 ? `${runsTable(page.items)}\n` : 'No runs.\n');
  return EXIT.ok;
}

/** `trainyard show RUN`: everything recorded about a run. */
export async function showCommand(id: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  const run = await api.getRun(id);
  const { epochs } = await api.epochs(id);
  if (json) {
    printJson(io, { ...run, epochMetrics: epochs });
    return EXIT.ok;
  }
  const lines = [
    `${run.name}  ${run.id}`,
    `status ${run.status} · attempt ${run.attempt} · epoch ${run.currentEpoch}/${run.epochs} · seed ${run.seed} · backend ${run.backend ?? '-'}`,
    `dataset ${run.dataset}${run.datasetHash ? ` (sha256 ${run.datasetHash.slice(0, 12)}…)` : ''}${run.sweepName ? ` · sweep ${run.sweepName}` : ''}`,
    `queued ${run.queuedAt}${run.startedAt ? ` · started ${run.startedAt}` : ''}${run.finishedAt ? ` · finished ${run.finishedAt}` : ''}`,
  ];
  if (run.error) lines.push(`error (${run.error.kind ?? '?'} ${run.error.code ?? '?'}): ${run.error.message}`);
  if (run.reproducesRunId) lines.push(`reproduces ${run.reproducesRunId}: ${describeReproduction(run.reproduction)}`);
  if (run.testMetrics) lines.push(`test metrics: ${Object.entries(run.testMetrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ')}`);
  if (epochs.length > 0) {
    lines.push('', 'epochs:');
    for (const e of epochs) lines.push(`  ${String(e.epoch).padStart(4)}  ${formatMetrics(e.metrics)}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** `trainyard cancel RUN`: a queued run stops at once, a running one within a second or an epoch. */
export async function cancelCommand(id: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  const result = await api.cancel(id);
  if (json) printJson(io, result);
  else io.stdout.write(`${result.id}: ${describeCancel(result.status)}\n`);
  return EXIT.ok;
}

function describeCancel(status: RunView['status']): string {
  if (status === 'CANCELLED') return 'cancelled';
  if (status === 'RUNNING') return 'cancel requested; the run stops within a batch';
  return `already ${status}, nothing to cancel`;
}

/** `trainyard rerun RUN`: queues the same definition and seed; the new run records whether it reproduced. */
export async function rerunCommand(id: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  const submitted = await api.rerun(id);
  if (json) printJson(io, submitted);
  else for (const run of submitted.runs) io.stdout.write(`queued ${run.id} ${run.name} (reproduces ${id}, seed ${run.seed})\n`);
  return EXIT.ok;
}

/** `trainyard export RUN --out DIR`: the trained model as tfjs files beside its preprocessor. */
export async function exportCommand(id: string, out: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
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
export async function predictCommand(id: string, input: string, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  let rows: unknown;
  try {
    rows = JSON.parse(input);
  } catch {
    io.stderr.write('trainyard: --input must be JSON rows, e.g. [[8.3,41,7,1,322,2.6,37.9,-122.2]]\n');
    return EXIT.usage;
  }
  const { predictions } = await api.predict(id, rows as number[][]);
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
