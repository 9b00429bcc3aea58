import type { RunDetailView } from '@trainyard/contract';
import { useMemo } from 'react';
import { Chart, TEXT_TOOLTIP, type ChartOption } from '../chart.js';
import { formatNumber } from '../format.js';
import { CURVE_COLORS } from './curves.js';

type Classification = Extract<NonNullable<RunDetailView['evaluation']>, { kind: 'classification' }>;

/** The largest side of the square predicted-vs-true plot, in pixels. */
const SCATTER_SIZE = 440;

/**
 * Predicted vs true: for regression a square scatter, both axes on one range with the y = x
 * diagonal, titled with the target's name and captioned with the rows it samples; for
 * classification a confusion matrix.
 */
export function Evaluation({ run, onCell }: { run: RunDetailView; onCell?: (cell: { truth: string; predicted: string }) => void }) {
  const evaluation = run.evaluation;
  const samples = useMemo(() => run.samples ?? [], [run.samples]);
  const targets = run.env?.dataset.targetNames ?? run.preprocessor?.targetNames ?? [];
  const target = targets[0] ?? 'target';
  const option = useMemo(() => {
    if (evaluation?.kind === 'classification') return confusionOption(evaluation);
    const points = samples.flatMap((s): [number, number][] => {
      const truth = Array.isArray(s.truth) ? s.truth[0] : undefined;
      const predicted = Array.isArray(s.predicted) ? s.predicted[0] : undefined;
      return typeof truth === 'number' && typeof predicted === 'number' ? [[truth, predicted]] : [];
    });
    return points.length > 0 ? scatterOption(points, target) : undefined;
  }, [evaluation, samples, target]);
  if (!option) return null;
  const classification = evaluation?.kind === 'classification' ? evaluation : undefined;
  return (
    <section>
      <h2>Predicted vs true</h2>
      <div className="grid2">
        {classification ? (
          <Chart
            option={option}
            height={360}
            label="confusion matrix"
            {...(onCell
              ? {
                  // A heatmap item is [predicted, true, count] by class index.
                  onItemClick: (data: unknown) => {
                    const [p, t] = Array.isArray(data) ? (data as number[]) : [];
                    const truth = classification.classNames[t ?? -1];
                    const predicted = classification.classNames[p ?? -1];
                    if (truth !== undefined && predicted !== undefined) onCell({ truth, predicted });
                  },
                }
              : {})}
          />
        ) : (
          <figure className="scatter">
            <Chart option={option} height={SCATTER_SIZE} square label="predicted vs true" points={samples.length} />
            <figcaption className="muted" data-testid="sample-caption">
              {sampleCaption(samples.length, run.env?.split)}
              {targets.length > 1 && ` Only the first target, ${target}, is drawn.`}
            </figcaption>
          </figure>
        )}
        {classification && (
          <table data-testid="per-class">
            <thead>
              <tr>
                <th>class</th>
                <th className="num">precision</th>
                <th className="num">recall</th>
                <th className="num">F1</th>
                <th className="num">support</th>
              </tr>
            </thead>
            <tbody>
              {classification.perClass.map((c, i) => (
                <tr key={i}>
                  <td>{classification.classNames[i]}</td>
                  <td className="num">{formatNumber(c.precision, 3)}</td>
                  <td className="num">{formatNumber(c.recall, 3)}</td>
                  <td className="num">{formatNumber(c.f1, 3)}</td>
                  <td className="num">{c.support}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/**
 * Which rows the samples are. The worker keeps the first rows (up to 500) of the test part, or of
 * the training part when no rows were held out for testing.
 */
function sampleCaption(count: number, split: { train: number; test: number } | undefined): string {
  const rows = (n: number): string => `${n.toLocaleString()} ${n === 1 ? 'row' : 'rows'}`;
  if (!split) return `A sample of ${rows(count)}.`;
  if (split.test === 0) return `A sample of ${rows(count)} of the training part (no rows were held out for testing): the first ${count.toLocaleString()} of ${split.train.toLocaleString()}.`;
  const which = count >= split.test ? 'all of them' : `the first ${count.toLocaleString()} of ${split.test.toLocaleString()}`;
  return `A sample of ${count.toLocaleString()} test ${count === 1 ? 'row' : 'rows'}: ${which}.`;
}

/** One range for both axes, in round steps (about five), with a little room so no point sits on an edge. */
function sharedRange(values: number[]): { min: number; max: number; interval: number } {
  const spread = Math.max(...values) - Math.min(...values) || Math.abs(values[0] ?? 0) || 1;
  const low = Math.min(...values) - spread * 0.02;
  const high = Math.max(...values) + spread * 0.02;
  const span = high - low;
  const rough = span / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const interval = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  return { min: Math.floor(low / interval) * interval, max: Math.ceil(high / interval) * interval, interval };
}

function scatterOption(points: [number, number][], target: string): ChartOption {
  const range = sharedRange(points.flat());
  // The same range and steps on both axes, and equal margins around a square element: a square plot.
  const axis = { type: 'value', nameLocation: 'middle', ...range, axisLabel: { formatter: (v: number) => formatNumber(v) } };
  return {
    animation: false,
    tooltip: {
      ...TEXT_TOOLTIP,
      trigger: 'item',
      formatter: (item: { seriesName?: string; value?: unknown }) =>
        Array.isArray(item.value) ? `true ${formatNumber(Number(item.value[0]))}, predicted ${formatNumber(Number(item.value[1]))}` : (item.seriesName ?? ''),
    },
    grid: { left: 64, right: 16, top: 16, bottom: 64 },
    xAxis: { ...axis, name: `true ${target}`, nameGap: 30 },
    yAxis: { ...axis, name: `predicted ${target}`, nameGap: 46 },
    series: [
      { name: 'y = x', type: 'line', showSymbol: false, silent: true, data: [[range.min, range.min], [range.max, range.max]], lineStyle: { type: 'dashed', color: '#999' } },
      { name: 'samples', type: 'scatter', symbolSize: 6, color: CURVE_COLORS[0], data: points },
    ],
  };
}

function confusionOption(evaluation: Classification): ChartOption {
  const names = evaluation.classNames;
  const data = evaluation.confusionMatrix.flatMap((row, t) => row.map((count, p) => [p, t, count]));
  const max = Math.max(1, ...data.map((d) => d[2] ?? 0));
  return {
    animation: false,
    tooltip: { ...TEXT_TOOLTIP, trigger: 'item' },
    grid: { left: 90, right: 20, top: 20, bottom: 70 },
    xAxis: { type: 'category', data: names, name: 'predicted', nameLocation: 'middle', nameGap: 40 },
    yAxis: { type: 'category', data: names, name: 'true', inverse: true, nameLocation: 'middle', nameGap: 70 },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, show: false },
    series: [{ type: 'heatmap', data, label: { show: true } }],
  };
}
