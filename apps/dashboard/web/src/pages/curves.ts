import { compareMetricNames, type EpochView } from '@trainyard/contract';
import { TEXT_TOOLTIP, type ChartOption } from '../chart.js';
import { formatNumber } from '../format.js';
import { smoothCurve } from '../smoothing.js';

/** ECharts' default palette and one more: one color per run, as compare takes up to 10 runs. */
export const CURVE_COLORS = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#2f4554'];

/** One run's curves: `label` names its series when a chart shows more than one run. */
export interface CurveRun {
  label: string;
  epochs: EpochView[];
  color: string;
}

/**
 * How curves are drawn: y on a log scale, TensorBoard's smoothing weight (0 = raw), and whether
 * series names start with their run's label (by default when there are several runs).
 */
export interface CurveView {
  logScale: boolean;
  smoothing: number;
  labelled?: boolean;
}

/** Metric names without the val_ prefix, in the order the server lists metrics (loss first). */
export function baseMetrics(epochs: EpochView[]): string[] {
  const names = new Set<string>();
  for (const epoch of epochs) for (const key of Object.keys(epoch.metrics)) names.add(key.replace(/^val_/, ''));
  return [...names].sort(compareMetricNames);
}

/** Whether `metric` (train and validation) can be drawn on a log scale: it has values, all above 0. */
export function canUseLogScale(metric: string, runs: CurveRun[]): boolean {
  const values = runs.flatMap(({ epochs }) => epochs.flatMap((e) => [e.metrics[metric], e.metrics[`val_${metric}`]])).filter((v) => v !== undefined);
  return values.length > 0 && values.every((v) => v > 0);
}

/**
 * One line chart for `metric`: train (solid) and validation (dashed), for each of `runs` in its
 * color. Smoothed, the raw curve stays behind the smoothed one, faint, named `… (raw)`. The
 * legend is the page's (chart-curves.tsx), shared by the charts.
 */
export function curveOption(metric: string, runs: CurveRun[], view: CurveView = { logScale: false, smoothing: 0 }): ChartOption {
  const labelled = view.labelled ?? runs.length > 1;
  const series = runs.flatMap(({ label, epochs, color }) =>
    [metric, `val_${metric}`].flatMap((key): Record<string, unknown>[] => {
      const points = epochs.flatMap((e) => {
        const value = e.metrics[key];
        return value === undefined ? [] : [{ epoch: e.epoch, value }];
      });
      if (points.length === 0) return [];
      const validation = key.startsWith('val_');
      const name = `${labelled ? `${label} · ` : ''}${validation ? 'validation' : 'train'}`;
      const type = validation ? 'dashed' : 'solid';
      const raw = points.map((p) => [p.epoch, p.value]);
      if (view.smoothing === 0) return [{ name, type: 'line', color, showSymbol: points.length < 30, data: raw, lineStyle: { type } }];
      const smoothed = smoothCurve(
        points.map((p) => p.value),
        view.smoothing,
      );
      return [
        { name: `${name} (raw)`, type: 'line', color, showSymbol: false, silent: true, z: 1, data: raw, lineStyle: { type, opacity: 0.25 } },
        { name, type: 'line', color, showSymbol: false, z: 2, data: points.map((p, i) => [p.epoch, smoothed[i] ?? p.value]), lineStyle: { type } },
      ];
    }),
  );
  return {
    animation: false,
    title: { text: metric, left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { ...TEXT_TOOLTIP, trigger: 'axis', valueFormatter: (value: unknown) => (typeof value === 'number' ? formatNumber(value, 5) : String(value)) },
    grid: { left: 64, right: 20, top: 36, bottom: 44 },
    xAxis: { type: 'value', name: 'epoch', minInterval: 1, nameLocation: 'middle', nameGap: 26 },
    yAxis: view.logScale ? { type: 'log', axisLabel: { formatter: (v: number) => formatNumber(v) } } : { type: 'value', scale: true },
    series,
  };
}
