import type { RunDetailView } from '@trainyard/contract';
import { useMemo } from 'react';
import { Chart, TEXT_TOOLTIP, type ChartOption } from '../chart.js';
import { formatNumber } from '../format.js';

type Classification = Extract<NonNullable<RunDetailView['evaluation']>, { kind: 'classification' }>;

/** Predicted vs true: a scatter with y = x for regression, a confusion matrix for classification. */
export function Evaluation({ run }: { run: RunDetailView }) {
  const evaluation = run.evaluation;
  const samples = useMemo(() => run.samples ?? [], [run.samples]);
  const option = useMemo(() => {
    if (evaluation?.kind === 'classification') return confusionOption(evaluation);
    const points = samples.flatMap((s) =>
      Array.isArray(s.truth) && Array.isArray(s.predicted) && s.truth[0] !== undefined && s.predicted[0] !== undefined ? [[s.truth[0], s.predicted[0]]] : [],
    );
    return points.length > 0 ? scatterOption(points as [number, number][]) : undefined;
  }, [evaluation, samples]);
  if (!option) return null;
  const classification = evaluation?.kind === 'classification' ? evaluation : undefined;
  return (
    <section>
      <h2>Predicted vs true</h2>
      <div className="grid2">
        <Chart option={option} height={360} label={classification ? 'confusion matrix' : 'predicted vs true'} points={classification ? undefined : samples.length} />
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

function scatterOption(points: [number, number][]): ChartOption {
  const values = points.flat();
  const low = Math.min(...values);
  const high = Math.max(...values);
  return {
    animation: false,
    tooltip: { ...TEXT_TOOLTIP, trigger: 'item' },
    grid: { left: 60, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'value', name: 'true', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'predicted', nameLocation: 'middle', nameGap: 44, scale: true },
    series: [
      { name: 'samples', type: 'scatter', symbolSize: 6, data: points },
      { name: 'y = x', type: 'line', showSymbol: false, data: [[low, low], [high, high]], lineStyle: { type: 'dashed', color: '#999' } },
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
