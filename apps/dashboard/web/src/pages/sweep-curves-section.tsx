import type { SweepDetailResponse } from '@trainyard/contract';
import { useMemo, useState } from 'react';
import { Chart } from '../chart.js';
import { colorOrder, curvesOption, curveValues, epochKeys, pickCurveTrials, trialColors } from './sweep-curves.js';
import { LogToggle, useLogScale } from './sweep-log-toggle.js';
import { useTrialEpochs } from './sweep-trial-epochs.js';

/**
 * Every trial's curve of one per-epoch metric overlaid (at most CURVE_LIMIT trials, said when
 * there are more), coloured by `colorParam` and with the best trial in bold green.
 */
export function SweepCurvesSection({ sweep, colorParam }: { sweep: SweepDetailResponse; colorParam: string | null }) {
  const pick = useMemo(() => pickCurveTrials(sweep), [sweep]);
  const { epochs, error } = useTrialEpochs(pick.trials);
  const curves = useMemo(() => pick.trials.map((t) => epochs.get(t.runId) ?? []), [pick, epochs]);
  const keys = useMemo(() => epochKeys(curves), [curves]);
  const [wanted, setWanted] = useState('loss');
  const key = keys.includes(wanted) ? wanted : (keys[0] ?? wanted);
  const values = useMemo(() => curveValues(curves, key), [curves, key]);
  const logY = useLogScale(key, values);
  const colors = useMemo(() => trialColors(sweep, colorParam), [sweep, colorParam]);
  const order = useMemo(() => (colorParam === null ? [] : colorOrder(sweep, colorParam)), [sweep, colorParam]);
  const option = useMemo(
    () => curvesOption({ trials: pick.trials, epochs, key, logY: logY.on, bestRunId: sweep.best?.runId ?? null, colors }),
    [pick, epochs, key, logY.on, sweep.best, colors],
  );
  const best = option.series.find((s) => s.id === sweep.best?.runId);
  return (
    <section data-testid="sweep-curves">
      <h2>Curves of the trials</h2>
      <div className="toolbar">
        <label>
          curve{' '}
          <select aria-label="curve" value={key} onChange={(e) => setWanted(e.target.value)}>
            {keys.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <LogToggle axis="y" scale={logY} />
        {order.length > 1 && (
          <span className="muted">
            colour: {colorParam}, light {order[0]} → dark {order[order.length - 1]}
          </span>
        )}
        {pick.total > pick.trials.length && (
          <span data-testid="curves-limit" className="muted">
            showing {pick.trials.length} of {pick.total} trials{sweep.best ? `, the best by test ${sweep.best.metric} first` : ''}
          </span>
        )}
      </div>
      {error && <p className="error">Could not read {error}</p>}
      {pick.total === 0 ? (
        <p className="muted">No trial has started yet.</p>
      ) : (
        <div data-y-axis={option.yAxis.type} data-curves={option.series.length} data-best-color={best ? String(best['color']) : undefined}>
          <Chart option={option} label="trial curves" height={320} />
        </div>
      )}
    </section>
  );
}
