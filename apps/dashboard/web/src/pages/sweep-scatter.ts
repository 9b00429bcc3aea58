import type { SweepDetailResponse, SweepTrialView } from '@trainyard/contract';
import { TEXT_TOOLTIP, type ChartOption } from '../chart.js';
import { formatNumber } from '../format.js';
import { BEST_COLOR, MEAN_COLOR, STAR_SYMBOL, TRIAL_COLOR } from './sweep-chart-style.js';
import { logAllowed } from './sweep-log-scale.js';
import { distinctTexts, numericValues, paramText } from './sweep-values.js';

/** How a parameter is laid out: numbers on a value axis (log when asked and all are above 0), anything else as categories. */
export type ParamScale = { kind: 'number'; values: number[] } | { kind: 'category'; values: string[] };

export function paramScale(sweep: SweepDetailResponse, param: string): ParamScale {
  const values = sweep.trials.map((t) => t.params[param]);
  const numbers = numericValues(values);
  return numbers ? { kind: 'number', values: numbers } : { kind: 'category', values: distinctTexts(values) };
}

interface Point {
  name: string;
  value: [number | string, number];
}

interface ScatterSeries {
  name: string;
  type: 'scatter';
  data: Point[];
  [style: string]: unknown;
}

/** The scatter's option; `xAxis.type` and the series are typed so that the page can expose them to tests. */
export interface ScatterOption extends ChartOption {
  xAxis: { type: 'value' | 'log' | 'category'; [key: string]: unknown };
  series: ScatterSeries[];
}

export interface ScatterInput {
  sweep: SweepDetailResponse;
  param: string;
  metric: string;
  /** Log x axis, when the parameter is numeric and above 0 (ignored otherwise). */
  logX: boolean;
}

/** The trials that have a test value of `metric`: the points of the scatter. */
export function scoredTrials(sweep: SweepDetailResponse, metric: string): SweepTrialView[] {
  return sweep.trials.filter((t) => t.status === 'SUCCEEDED' && t.testMetrics?.[metric] !== undefined);
}

/**
 * One parameter against the test metric: a point per finished trial (repeats included), a dash at
 * the mean of each configuration when some have repeats, and the best trial as a green star.
 */
export function scatterOption({ sweep, param, metric, logX }: ScatterInput): ScatterOption {
  const scale = paramScale(sweep, param);
  const x = (value: unknown): number | string => (scale.kind === 'number' && typeof value === 'number' ? value : paramText(value));
  const scored = scoredTrials(sweep, metric);
  const point = (t: SweepTrialView): Point => ({ name: t.name, value: [x(t.params[param]), t.testMetrics?.[metric] ?? Number.NaN] });
  const best = scored.filter((t) => t.runId === sweep.best?.runId);
  const withRepeats = sweep.groups.some((g) => g.succeeded > 1);
  const means = withRepeats
    ? sweep.groups.flatMap((g): Point[] => {
        const stats = g.metrics[metric];
        return stats && g.succeeded > 0 && param in g.params
          ? [{ name: `mean of ${g.succeeded} (std ${formatNumber(stats.std)})`, value: [x(g.params[param]), stats.mean] }]
          : [];
      })
    : [];
  const type = scale.kind === 'category' ? 'category' : logX && logAllowed(scale.values) ? 'log' : 'value';
  const series: ScatterSeries[] = [
    { name: 'trials', type: 'scatter', data: scored.filter((t) => !best.includes(t)).map(point), symbolSize: 9, itemStyle: { color: TRIAL_COLOR, opacity: 0.7 } },
  ];
  if (means.length > 0) series.push({ name: 'mean per configuration', type: 'scatter', data: means, symbol: 'rect', symbolSize: [22, 3], itemStyle: { color: MEAN_COLOR }, z: 3 });
  if (best.length > 0) {
    series.push({
      name: 'best',
      type: 'scatter',
      data: best.map(point),
      symbol: STAR_SYMBOL,
      symbolSize: 22,
      itemStyle: { color: BEST_COLOR },
      label: { show: true, position: 'right', formatter: 'best', color: BEST_COLOR, fontWeight: 'bold' },
      z: 4,
    });
  }
  return {
    animation: false,
    tooltip: {
      ...TEXT_TOOLTIP,
      trigger: 'item',
      formatter: ({ name, value }: { name: string; value: Point['value'] }) =>
        `${name}\n${param}: ${typeof value[0] === 'number' ? formatNumber(value[0], 6) : value[0]}\ntest ${metric}: ${formatNumber(value[1], 6)}`,
    },
    legend: { top: 0 },
    grid: { left: 70, right: 50, top: 40, bottom: 48 },
    xAxis: {
      type,
      name: type === 'log' ? `${param} (log)` : param,
      nameLocation: 'middle',
      nameGap: 28,
      ...(type === 'category' ? { data: scale.values } : type === 'value' ? { scale: true } : {}),
    },
    yAxis: { type: 'value', name: `test ${metric}`, scale: true },
    series,
  };
}
