import { canonicalJson, compareMetricNames, type TrialParams } from '@trainyard/contract';
import type { RunStatus } from './run-ledger.js';

/** What summarizeSweep needs of a trial (a SweepTrialRow fits). */
export interface SweepTrialInput {
  runId: string;
  status: RunStatus;
  params: TrialParams;
  testMetrics: Record<string, number> | null;
}

export interface MetricStats {
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single run. */
  std: number;
}

/** The trials of one configuration (its repeats), with statistics over their SUCCEEDED runs. */
export interface SweepGroup {
  params: TrialParams;
  /** Every trial's run id in this configuration, whatever its status. */
  runs: string[];
  /** How many of them SUCCEEDED: the runs the statistics are over. */
  succeeded: number;
  metrics: Record<string, MetricStats>;
}

export interface SweepSummary {
  /** The varied field paths (keys of the trials' params), in order of first appearance. */
  params: string[];
  /** The metric `best` is chosen by (null when no trial has test metrics). */
  metric: string | null;
  groups: SweepGroup[];
  best: { runId: string; metric: string; value: number } | null;
}

/** Metrics where larger is better; every other metric (loss, mae, mse, rmse, ...) is minimized. */
const MAXIMIZED = new Set(['accuracy', 'macro_f1', 'r2']);

export function isMaximized(metric: string): boolean {
  return MAXIMIZED.has(metric.startsWith('val_') ? metric.slice(4) : metric);
}

/** The first test metric other than loss, in the order the API shows metrics (Keras'), over the SUCCEEDED trials (null: none). */
export function defaultSweepMetric(trials: SweepTrialInput[]): string | null {
  const names = new Set(trials.flatMap((t) => (t.status === 'SUCCEEDED' && t.testMetrics ? Object.keys(t.testMetrics) : [])));
  names.delete('loss');
  return [...names].sort(compareMetricNames)[0] ?? null;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function stats(values: number[]): MetricStats {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  if (values.length < 2) return { mean, std: 0 };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/**
 * A sweep's trials summarized: the varied parameters, one group per configuration (the
 * repeats that differ only in seed) with mean and sample std of every test metric over the
 * SUCCEEDED runs, and the best SUCCEEDED trial by `metric` (default: defaultSweepMetric).
 */
export function summarizeSweep(trials: SweepTrialInput[], metric?: string): SweepSummary {
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const chosen = metric ?? defaultSweepMetric(trials);

  const byConfig = new Map<string, { params: TrialParams; runs: string[]; values: Map<string, number[]>; succeeded: number }>();
  for (const trial of trials) {
    const key = canonicalJson(trial.params);
    let group = byConfig.get(key);
    if (!group) {
      group = { params: trial.params, runs: [], values: new Map(), succeeded: 0 };
      byConfig.set(key, group);
    }
    group.runs.push(trial.runId);
    if (trial.status !== 'SUCCEEDED') continue;
    group.succeeded++;
    for (const [name, value] of Object.entries(trial.testMetrics ?? {})) {
      if (!finite(value)) continue;
      const list = group.values.get(name) ?? [];
      list.push(value);
      group.values.set(name, list);
    }
  }
  const groups = [...byConfig.values()].map((g) => ({
    params: g.params,
    runs: g.runs,
    succeeded: g.succeeded,
    metrics: Object.fromEntries([...g.values.entries()].map(([name, values]) => [name, stats(values)])),
  }));

  let best: SweepSummary['best'] = null;
  if (chosen !== null) {
    const better = isMaximized(chosen) ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
    for (const trial of trials) {
      const value = trial.testMetrics?.[chosen];
      if (trial.status !== 'SUCCEEDED' || !finite(value)) continue;
      if (best === null || better(value, best.value)) best = { runId: trial.runId, metric: chosen, value };
    }
  }
  return { params, metric: chosen, groups, best };
}
