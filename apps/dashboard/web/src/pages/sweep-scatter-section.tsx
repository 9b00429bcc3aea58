import type { SweepDetailResponse } from '@trainyard/contract';
import { useMemo } from 'react';
import { Chart } from '../chart.js';
import { LogToggle, useLogScale } from './sweep-log-toggle.js';
import { parallelOption, showsParallel } from './sweep-parallel.js';
import { paramScale, scatterOption, scoredTrials } from './sweep-scatter.js';

/**
 * A chosen parameter against the test metric (a point per finished trial, the mean per
 * configuration, the best trial starred), with a log x axis for parameters that span decades;
 * and parallel coordinates over every parameter when there are two or more.
 */
export function SweepScatterSection({ sweep, metric, param, onParam }: { sweep: SweepDetailResponse; metric: string; param: string; onParam: (param: string) => void }) {
  const scale = useMemo(() => paramScale(sweep, param), [sweep, param]);
  const logX = useLogScale(param, scale.kind === 'number' ? scale.values : []);
  const option = useMemo(() => scatterOption({ sweep, param, metric, logX: logX.on }), [sweep, param, metric, logX.on]);
  const parallel = useMemo(() => (showsParallel(sweep) ? parallelOption(sweep, metric) : undefined), [sweep, metric]);
  const points = scoredTrials(sweep, metric).length;
  const best = option.series.find((s) => s.name === 'best');
  return (
    <>
      <section data-testid="sweep-scatter">
        <h2>Parameters → test {metric}</h2>
        <div className="toolbar">
          {sweep.params.length > 1 ? (
            <label>
              parameter{' '}
              <select aria-label="parameter" value={param} onChange={(e) => onParam(e.target.value)}>
                {sweep.params.map((name) => (
                  <option key={name}>{name}</option>
                ))}
              </select>
            </label>
          ) : (
            <span>{param}</span>
          )}
          {scale.kind === 'number' && <LogToggle axis="x" scale={logX} />}
          <span className="muted">
            a point per finished trial{option.series.some((s) => s.name === 'mean per configuration') ? ', a dash at the mean of each configuration' : ''}
          </span>
        </div>
        {/* The axis type and the best trial's colour, as drawn, for tests and tools that cannot read the canvas. */}
        <div data-x-axis={option.xAxis.type} data-best-color={best ? String((best['itemStyle'] as { color: string }).color) : undefined}>
          <Chart option={option} label="parameter scatter" height={320} points={points} />
        </div>
      </section>
      {parallel && (
        <section>
          <h2>Every parameter → test {metric} (parallel coordinates)</h2>
          <Chart option={parallel} label="parallel coordinates" height={340} />
        </section>
      )}
    </>
  );
}
