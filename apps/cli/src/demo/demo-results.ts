import type { RunDetailView, RunView } from '@trainyard/contract';
import { formatNumber, formatSeconds, renderTable } from '../output/format.js';

type Prediction = NonNullable<RunDetailView['predictions']>[number];

/** A run of the demo as its closing table shows it. */
export interface DemoRow {
  run: RunView;
  /** The run's recorded predictions (its definition's `predict` rows); null or absent: none. */
  predictions?: Prediction[] | null;
  /** What the notebook printed for those rows, e.g. "15, -27". */
  expected?: string;
}

/** Characters of a run id shown: enough to be unique among thousands of runs, and what `show` takes. */
export const SHORT_ID = 8;

/**
 * The demo's closing table: each run with its test metrics (headed "test ..."), the
 * predictions it recorded for its definition's `predict` rows beside what the notebook
 * printed for them, and its training time. A run without a test part shows "-" for the
 * metrics (the multiply task trains on all seven points). `metrics`: only these columns, of
 * those recorded (default: every recorded metric but the loss).
 */
export function demoResultsTable(rows: DemoRow[], options: { metrics?: string[] } = {}): string {
  const recorded = [...new Set(rows.flatMap((r) => Object.keys(r.run.testMetrics ?? {})))].filter((m) => m !== 'loss');
  const metricNames = options.metrics ? options.metrics.filter((m) => recorded.includes(m)) : recorded;
  const withExpected = rows.some((r) => r.expected !== undefined);
  const body = rows.map(({ run, predictions, expected }) => [
    run.id.slice(0, SHORT_ID),
    run.name,
    run.status,
    `${run.currentEpoch}/${run.epochs}`,
    ...metricNames.map((m) => (run.testMetrics?.[m] !== undefined ? formatNumber(run.testMetrics[m]) : '-')),
    predictions && predictions.length > 0 ? formatPredictions(predictions) : '-',
    ...(withExpected ? [expected ?? ''] : []),
    run.durationMs !== null ? formatSeconds(run.durationMs) : '-',
  ]);
  const headers = ['id', 'name', 'status', 'epoch', ...metricNames.map((m) => `test ${m}`), 'predictions', ...(withExpected ? ['notebook'] : []), 'time'];
  return renderTable(headers, body);
}

/** `5 -> 15.00, -9 -> -27.00`; `(4, 2) -> 6.00`; a long input row shows its first values. */
export function formatPredictions(predictions: Prediction[]): string {
  return predictions.map((p) => `${formatInput(p.input)} -> ${p.label ?? p.output.map((v) => v.toFixed(2)).join(', ')}`).join(', ');
}

const SHOWN_INPUTS = 3;

function formatInput(input: Prediction['input']): string {
  const cells = input.map((v) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v)));
  if (cells.length === 1) return cells[0] ?? '';
  const shown = cells.length > SHOWN_INPUTS ? [...cells.slice(0, 2), '…'] : cells;
  return `(${shown.join(', ')})`;
}

/**
 * The earlier trials of a resumed sweep, as its closing table shows them: the sweep's runs
 * that are queued, running or succeeded (the ones the resubmission skipped; a failed or
 * cancelled one was queued again, as one of `submittedIds`), not the runs this submission
 * queued, not reruns, newest `skipped` of them, oldest first.
 */
export function resumedTrials(sweepRuns: RunView[], submittedIds: ReadonlySet<string>, skipped: number): RunView[] {
  const kept = sweepRuns.filter((r) => !submittedIds.has(r.id) && r.reproducesRunId === null && ['QUEUED', 'RUNNING', 'SUCCEEDED'].includes(r.status));
  return kept
    .sort((a, b) => b.queuedAt.localeCompare(a.queuedAt))
    .slice(0, skipped)
    .reverse();
}
