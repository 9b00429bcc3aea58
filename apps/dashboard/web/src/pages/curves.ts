import { compareMetricNames, type EpochView } from '@trainyard/contract';
import { TEXT_TOOLTIP, type ChartOption } from '../chart.js';

/** Metric names without the val_ prefix, in the order the server lists metrics (loss first). */
export function baseMetrics(epochs: EpochView[]): string[] {
  const names = new Set<string>();
  for (const epoch of epochs) for (const key of Object.keys(epoch.metrics)) names.add(key.replace(/^val_/, ''));
  return [...names].sort(compareMetricNames);
}

/** One line chart for `metric`: train and validation, for each of `runs`. */
export function curveOption(metric: string, runs: { label: string; epochs: EpochView[] }[]): ChartOption {
  const series = runs.flatMap(({ label, epochs }) =>
    [metric, `val_${metric}`].flatMap((key) => {
      const data = epochs.filter((e) => e.metrics[key] !== undefined).map((e) => [e.epoch, e.metrics[key]]);
      if (data.length === 0) return [];
      const name = `${runs.length > 1 ? `${label} · ` : ''}${key.startsWith('val_') ? 'validation' : 'train'}`;
      return [{ name, type: 'line', showSymbol: data.length < 30, data, lineStyle: key.startsWith('val_') ? { type: 'dashed' } : {} }];
    }),
  );
  return {
    animation: false,
    title: { text: metric, left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { ...TEXT_TOOLTIP, trigger: 'axis' },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 60, right: 20, top: 36, bottom: 56 },
    xAxis: { type: 'value', name: 'epoch', minInterval: 1, nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', scale: true },
    series,
  };
}
