import { useMemo, useState } from 'react';
import { Chart } from './chart.js';
import { baseMetrics, canUseLogScale, curveOption, type CurveRun } from './pages/curves.js';
import { MAX_SMOOTHING } from './smoothing.js';

/**
 * The loss and metric curves of one run or of several (compare): a smoothing slider for all of
 * them, one legend above them (each run's full name in its color, wrapping onto more lines as
 * needed; with several runs a click hides or shows a run), and per chart a log-scale toggle.
 * `points`: exposed on each chart (data-points), e.g. the number of epochs drawn so far.
 */
export function CurveCharts({ runs, height = 280, points }: { runs: CurveRun[]; height?: number; points?: number }) {
  const [smoothing, setSmoothing] = useState(0);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const metrics = useMemo(() => [...new Set(runs.flatMap((r) => baseMetrics(r.epochs)))], [runs]);
  const shown = useMemo(() => runs.filter((r) => !hidden.has(r.label)), [runs, hidden]);
  const toggle = (label: string): void =>
    setHidden((old) => {
      const next = new Set(old);
      if (!next.delete(label)) next.add(label);
      return next;
    });
  return (
    <>
      <div className="toolbar curve-tools">
        <label>
          smoothing{' '}
          <input type="range" min={0} max={MAX_SMOOTHING} step={0.01} value={smoothing} aria-label="smoothing" onChange={(e) => setSmoothing(Number(e.target.value))} />{' '}
          <output data-testid="smoothing-value">{smoothing.toFixed(2)}</output>
        </label>
        <span className="muted">
          train ─── · validation - - -{smoothing > 0 && ' · faint: raw, bold: smoothed (exponential moving average, debiased)'}
        </span>
      </div>
      <ul className="curve-legend" data-testid="curve-legend">
        {runs.map((run) => (
          <li key={run.label}>
            {runs.length > 1 ? (
              <button type="button" aria-pressed={!hidden.has(run.label)} title={hidden.has(run.label) ? 'show this run' : 'hide this run'} onClick={() => toggle(run.label)}>
                <Swatch color={run.color} /> {run.label}
              </button>
            ) : (
              <>
                <Swatch color={run.color} /> {run.label}
              </>
            )}
          </li>
        ))}
      </ul>
      <div className="grid2">
        {metrics.map((metric) => (
          <CurveChart key={metric} metric={metric} runs={shown} labelled={runs.length > 1} smoothing={smoothing} height={height} points={points} />
        ))}
      </div>
    </>
  );
}

function Swatch({ color }: { color: string }) {
  return <span className="swatch" style={{ background: color }} aria-hidden="true" />;
}

/** One metric's chart with its log-scale toggle (disabled while a value is 0 or below: a log axis cannot show it). */
function CurveChart(props: { metric: string; runs: CurveRun[]; labelled: boolean; smoothing: number; height: number; points: number | undefined }) {
  const { metric, runs, labelled, smoothing, height, points } = props;
  const [logWanted, setLogWanted] = useState(false);
  const possible = canUseLogScale(metric, runs);
  const logScale = logWanted && possible;
  const option = useMemo(() => curveOption(metric, runs, { logScale, smoothing, labelled }), [metric, runs, logScale, smoothing, labelled]);
  return (
    <figure className="curve">
      <label className="curve-log" title={possible ? undefined : `${metric} has values of 0 or below, which a log scale cannot show`}>
        <input type="checkbox" aria-label={`log scale ${metric}`} checked={logScale} disabled={!possible} onChange={(e) => setLogWanted(e.target.checked)} /> log scale
      </label>
      <Chart option={option} label={`curve ${metric}`} height={height} points={points} />
    </figure>
  );
}
