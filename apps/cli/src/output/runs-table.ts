import type { RunView } from '@trainyard/contract';
import { formatNumber, formatSeconds, renderTable } from './format.js';

/** Runs with their test metrics as columns, the way `ls` and `submit --wait` end. */
export function runsTable(runs: RunView[]): string {
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.testMetrics ?? {})))].filter((m) => m !== 'loss');
  const rows = runs.map((run) => [
    run.id,
    run.name,
    run.status,
    `${run.currentEpoch}/${run.epochs}`,
    run.dataset,
    ...metricNames.map((m) => (run.testMetrics?.[m] !== undefined ? formatNumber(run.testMetrics[m]) : '-')),
    run.backend ?? '-',
    run.durationMs !== null ? formatSeconds(run.durationMs) : '-',
  ]);
  return renderTable(['id', 'name', 'status', 'epoch', 'dataset', ...metricNames, 'backend', 'time'], rows);
}
