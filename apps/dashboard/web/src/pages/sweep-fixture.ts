import type { JsonValue, RunStatus, SweepDetailResponse, SweepGroupView, SweepTrialView } from '@trainyard/contract';

/*
 * Sweeps for the sweep page's specs: trials from (params, test metric) rows, groups and the best
 * trial computed as the server does (mean and sample std of the SUCCEEDED repeats; mae minimized).
 */

export interface TrialRow {
  params: Record<string, JsonValue>;
  mae?: number;
  status?: RunStatus;
}

/** A trial per row, named `t<i>`, run id `00000000-0000-4000-8000-<i>`. */
export function fixtureSweep(rows: readonly TrialRow[], params = Object.keys(rows[0]?.params ?? {})): SweepDetailResponse {
  const trials: SweepTrialView[] = rows.map((row, i) => ({
    runId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `t${i}`,
    status: row.status ?? (row.mae === undefined ? 'QUEUED' : 'SUCCEEDED'),
    params: row.params,
    seed: i,
    testMetrics: row.mae === undefined ? null : { loss: row.mae * row.mae, mae: row.mae },
  }));
  const groups = new Map<string, SweepTrialView[]>();
  for (const trial of trials) {
    const key = JSON.stringify(trial.params);
    groups.set(key, [...(groups.get(key) ?? []), trial]);
  }
  const scored = trials.filter((t) => t.status === 'SUCCEEDED' && t.testMetrics);
  const best = scored.reduce<SweepTrialView | undefined>((a, t) => (a && (a.testMetrics?.['mae'] ?? 0) <= (t.testMetrics?.['mae'] ?? 0) ? a : t), undefined);
  return {
    id: '00000000-0000-4000-8000-ffffffffffff',
    name: 'fixture',
    spec: { name: 'fixture', base: {}, repeats: 1, baseSeed: 0 },
    createdAt: '2026-12-04T00:00:00.000Z',
    params,
    metric: 'mae',
    trials,
    groups: [...groups.values()].map((members): SweepGroupView => {
      const values = members.flatMap((t) => (t.status === 'SUCCEEDED' && t.testMetrics?.['mae'] !== undefined ? [t.testMetrics['mae']] : []));
      const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
      const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
      return { params: members[0]?.params ?? {}, runs: members.map((t) => t.runId), succeeded: values.length, metrics: values.length > 0 ? { mae: { mean, std } } : {} };
    }),
    best: best ? { runId: best.runId, metric: 'mae', value: best.testMetrics?.['mae'] ?? 0 } : null,
  };
}
