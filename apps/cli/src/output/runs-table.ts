import type { RunView } from '@trainyard/contract';
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

/** Runs with their test metrics as columns, the way `ls` and `submit --wait` end; a failed run's reason last. */
export function runsTable(runs: RunView[]): string {
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.testMetrics ?? {})))].filter((m) => m !== 'loss');
  const anyFailed = runs.some((run) => run.error !== null);
  const rows = runs.map((run) => [
    run.id,
    run.name,
    run.status,
    `${run.currentEpoch}/${run.epochs}`,
    run.dataset,
    ...metricNames.map((m) => (run.testMetrics?.[m] !== undefined ? formatNumber(run.testMetrics[m]) : '-')),
    run.backend ?? '-',
    run.durationMs !== null ? formatSeconds(run.durationMs) : '-',
    ...(anyFailed ? [reasonOf(run)] : []),
  ]);
  return renderTable(['id', 'name', 'status', 'epoch', 'dataset', ...metricNames, 'backend', 'time', ...(anyFailed ? ['why'] : [])], rows);
}
