import type { EpochView } from '@trainyard/contract';
import { describe, expect, it, vi } from 'vitest';
import { BEST_COLOR, rampColor, TRIAL_COLOR } from './sweep-chart-style.js';
import { colorOrder, CURVE_LIMIT, curvesOption, curveValues, epochKeys, pickCurveTrials, trialColors } from './sweep-curves.js';
import { fixtureSweep } from './sweep-fixture.js';

// The option builders use chart.tsx's tooltip, whose module graph (api.ts) reads the page's origin at load.
vi.hoisted(() => Object.assign(globalThis, { location: new URL('http://localhost/') }));

const LR = 'optimizer.learningRate';

const epochs = (losses: number[], val = false): EpochView[] =>
  losses.map((loss, i) => ({ epoch: i + 1, metrics: { mae: Math.sqrt(loss), loss, ...(val ? { val_loss: loss * 1.1 } : {}) }, durationMs: 5 }));

describe('the trials whose curves the sweep page reads and draws', () => {
  it('takes every trial that started, the best first, then the closest to the best value, then the unscored ones', () => {
    const sweep = fixtureSweep([
      { params: { [LR]: 0.1 }, mae: 0.9 },
      { params: { [LR]: 0.01 }, mae: 0.3 },
      { params: { [LR]: 0.001 }, status: 'RUNNING' },
      { params: { [LR]: 0.03 }, mae: 0.1 },
      { params: { [LR]: 0.003 } },
      { params: { [LR]: 0.3 }, status: 'FAILED' },
    ]);
    const pick = pickCurveTrials(sweep);
    expect(pick.trials.map((t) => t.name)).toEqual(['t3', 't1', 't0', 't2', 't5']);
    expect(pick.total).toBe(5);
  });

  it(`reads at most ${CURVE_LIMIT} of a large sweep, and says how many there are`, () => {
    const sweep = fixtureSweep(Array.from({ length: 80 }, (_, i) => ({ params: { [LR]: 0.001 * (i + 1) }, mae: Math.abs(i - 40) + 0.5 })));
    const pick = pickCurveTrials(sweep);
    expect(pick.trials).toHaveLength(CURVE_LIMIT);
    expect(pick.total).toBe(80);
    expect(pick.trials[0]?.name).toBe('t40');
    // The 50 nearest the best value: t16 to t64 (40 ± 24), then t15, the first of the two at distance 25 (ties keep the sweep's order).
    expect(new Set(pick.trials.map((t) => t.name))).toEqual(new Set([...Array.from({ length: 49 }, (_, i) => `t${16 + i}`), 't15']));
  });
});

describe('the overlaid curves of a sweep', () => {
  const sweep = fixtureSweep([
    { params: { [LR]: 0.001 }, mae: 0.5 },
    { params: { [LR]: 0.01 }, mae: 0.1 },
    { params: { [LR]: 0.1 }, mae: 0.9 },
  ]);
  const [slow, good, fast] = sweep.trials.map((t) => t.runId) as [string, string, string];
  const read = new Map([
    [slow, epochs([4, 2, 1])],
    [good, epochs([3, 0.5, 0.01], true)],
    [fast, epochs([9, 90, 900])],
  ]);
  const colors = trialColors(sweep, LR);

  it('draws one line per trial with epochs, the best one bold and green with a "best" label', () => {
    const option = curvesOption({ trials: sweep.trials, epochs: read, key: 'loss', logY: false, bestRunId: good, colors });
    expect(option.series.map((s) => s.id)).toEqual([slow, good, fast]);
    expect(option.series[0]?.data).toEqual([
      [1, 4],
      [2, 2],
      [3, 1],
    ]);
    const best = option.series[1];
    expect(best?.['color']).toBe(BEST_COLOR);
    expect(best?.['lineStyle']).toMatchObject({ width: 3.5, color: BEST_COLOR });
    expect(best?.['endLabel']).toMatchObject({ show: true, formatter: '★ best' });
    expect(option.series[0]?.['endLabel']).toBeUndefined();
    // A metric only some trials have: only they get a line.
    expect(curvesOption({ trials: sweep.trials, epochs: read, key: 'val_loss', logY: false, bestRunId: good, colors }).series.map((s) => s.id)).toEqual([good]);
  });

  it('puts the y axis in log scale when asked', () => {
    expect(curvesOption({ trials: sweep.trials, epochs: read, key: 'loss', logY: true, bestRunId: good, colors }).yAxis.type).toBe('log');
    expect(curvesOption({ trials: sweep.trials, epochs: read, key: 'loss', logY: false, bestRunId: good, colors }).yAxis.type).toBe('value');
    expect(curveValues(read.values(), 'val_loss').map((v) => Number(v.toFixed(3)))).toEqual([3.3, 0.55, 0.011]);
  });

  it('colours the other trials light to dark blue by the parameter, and lists the per-epoch metrics in Keras order', () => {
    expect(colorOrder(sweep, LR)).toEqual(['0.001', '0.01', '0.1']);
    expect([...colors.values()]).toEqual([rampColor(0), rampColor(0.5), rampColor(1)]);
    expect(rampColor(0)).toBe('#8fb3e8');
    expect(rampColor(1)).toBe('#0d2b6e');
    expect([...trialColors(sweep, null).values()]).toEqual([TRIAL_COLOR, TRIAL_COLOR, TRIAL_COLOR]);
    expect(epochKeys(read.values())).toEqual(['loss', 'mae', 'val_loss']);
  });
});
