import { shortParamNames, type RunView } from '@trainyard/contract';
import { formatNumber, formatSeconds, renderTable } from './format.js';

/** Most characters of a failure's reason in the table (`show RUN` has all of it). */
const REASON_WIDTH = 60;

/** Why a run failed, in a line: its code and the start of its message. */
function reasonOf(run: RunView): string {
  if (!run.error) return '';
  const message = run.error.message.replace(/\s+/g, ' ');
  const text = `${run.error.code ?? run.error.kind ?? 'error'}: ${message}`;
  return text.length > REASON_WIDTH ? `${text.slice(0, REASON_WIDTH - 1)}…` : text;
}

/** A parameter's value in a line: numbers as written (0.01, 1e-4), anything else as JSON. */
export function paramValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** A sweep trial's varied parameters and seed, `learningRate=0.01 seed=2`; empty for a run outside a sweep. */
function paramsOf(run: RunView, names: Map<string, string>): string {
  if (!run.params) return '';
  const parts = Object.entries(run.params).map(([path, value]) => `${names.get(path) ?? path}=${paramValue(value)}`);
  return [...parts, `seed=${run.seed}`].join(' ');
}

/**
 * Runs with their test metrics as columns, the way `ls` and `submit --wait` end; a failed run's
 * reason last. A sweep trial shows as its sweep's name and its varied parameters
 * (`california-lr  learningRate=0.01 seed=2`), so trials whose long names start alike can be told apart.
 */
export function runsTable(runs: RunView[]): string {
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.testMetrics ?? {})))].filter((m) => m !== 'loss');
  const anyFailed = runs.some((run) => run.error !== null);
  const names = shortParamNames(runs.flatMap((r) => Object.keys(r.params ?? {})));
  const anyParams = runs.some((run) => run.params);
  const rows = runs.map((run) => [
    run.id,
    run.params && run.sweepName ? run.sweepName : run.name,
    ...(anyParams ? [paramsOf(run, names)] : []),
    run.status,
    `${run.currentEpoch}/${run.epochs}`,
    run.dataset,
    ...metricNames.map((m) => (run.testMetrics?.[m] !== undefined ? formatNumber(run.testMetrics[m]) : '-')),
    run.backend ?? '-',
    run.durationMs !== null ? formatSeconds(run.durationMs) : '-',
    ...(anyFailed ? [reasonOf(run)] : []),
  ]);
  const headers = ['id', 'name', ...(anyParams ? ['params'] : []), 'status', 'epoch', 'dataset', ...metricNames.map((m) => `test ${m}`), 'backend', 'time'];
  return renderTable([...headers, ...(anyFailed ? ['why'] : [])], rows);
}
