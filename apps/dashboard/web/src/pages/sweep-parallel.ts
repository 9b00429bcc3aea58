import type { SweepDetailResponse, SweepTrialView } from '@trainyard/contract';
import { TEXT_TOOLTIP, type ChartOption } from '../chart.js';
import { BEST_COLOR, TRIAL_COLOR } from './sweep-chart-style.js';
import { scoredTrials } from './sweep-scatter.js';
import { distinctTexts, paramText } from './sweep-values.js';

/** Parallel coordinates say something from 3 axes on: 2 varied parameters and the metric. With one, the scatter says it better. */
export function showsParallel(sweep: SweepDetailResponse): boolean {
  return sweep.params.length >= 2;
}

/** Each varied parameter -> the chosen metric, one line per finished trial; the best one drawn on top, bold and green. */
export function parallelOption(sweep: SweepDetailResponse, metric: string): ChartOption {
  const finished = scoredTrials(sweep, metric);
  const axes = sweep.params.map((param, dim) => {
    const values = finished.map((t) => t.params[param]);
    const numeric = values.every((v) => typeof v === 'number');
    return numeric
      ? { dim, name: param, type: 'value' as const, scale: true }
      : { dim, name: param, type: 'category' as const, data: distinctTexts(values) };
  });
  const row = (t: SweepTrialView): unknown[] => [
    ...sweep.params.map((param) => (typeof t.params[param] === 'number' ? t.params[param] : paramText(t.params[param]))),
    t.testMetrics?.[metric],
  ];
  const best = finished.filter((t) => t.runId === sweep.best?.runId);
  return {
    animation: false,
    tooltip: { ...TEXT_TOOLTIP, trigger: 'item' },
    parallel: { left: 60, right: 90, top: 40, bottom: 30 },
    parallelAxis: [...axes, { dim: sweep.params.length, name: `test ${metric}`, type: 'value', scale: true }],
    series: [
      { name: 'trials', type: 'parallel', lineStyle: { width: 1.5, opacity: 0.6, color: TRIAL_COLOR }, data: finished.filter((t) => !best.includes(t)).map(row) },
      { name: 'best', type: 'parallel', lineStyle: { width: 4, opacity: 1, color: BEST_COLOR }, data: best.map(row) },
    ],
  };
}
