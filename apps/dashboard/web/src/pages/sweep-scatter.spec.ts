import { describe, expect, it, vi } from 'vitest';
import { BEST_COLOR } from './sweep-chart-style.js';
import { fixtureSweep } from './sweep-fixture.js';
import { parallelOption, showsParallel } from './sweep-parallel.js';
import { paramScale, scatterOption } from './sweep-scatter.js';

// The option builders use chart.tsx's tooltip, whose module graph (api.ts) reads the page's origin at load.
vi.hoisted(() => Object.assign(globalThis, { location: new URL('http://localhost/') }));

const LR = 'optimizer.learningRate';

/** Three learning rates, two seeds each; the last configuration has one repeat still queued. */
const sweep = fixtureSweep([
  { params: { [LR]: 0.001 }, mae: 0.5 },
  { params: { [LR]: 0.001 }, mae: 0.7 },
  { params: { [LR]: 0.01 }, mae: 0.2 },
  { params: { [LR]: 0.01 }, mae: 0.1 },
  { params: { [LR]: 0.1 }, mae: 0.9 },
  { params: { [LR]: 0.1 } },
]);

describe("the sweep page's scatter of a parameter against the metric", () => {
  it('has a point per finished trial, the best one as a green star of its own', () => {
    const option = scatterOption({ sweep, param: LR, metric: 'mae', logX: false });
    const trials = option.series.find((s) => s.name === 'trials');
    const best = option.series.find((s) => s.name === 'best');
    expect(trials?.data.map((p) => p.value)).toEqual([
      [0.001, 0.5],
      [0.001, 0.7],
      [0.01, 0.2],
      [0.1, 0.9],
    ]);
    expect(best?.data).toEqual([{ name: 't3', value: [0.01, 0.1] }]);
    expect(best?.['itemStyle']).toEqual({ color: BEST_COLOR });
    expect(String(best?.['symbol'])).toMatch(/^path:\/\//);
  });

  it('marks the mean of each configuration over its finished repeats', () => {
    const option = scatterOption({ sweep, param: LR, metric: 'mae', logX: false });
    const means = option.series.find((s) => s.name === 'mean per configuration')?.data.map((p) => p.value);
    expect(means?.map(([x, y]) => [x, Number(y.toFixed(6))])).toEqual([
      [0.001, 0.6],
      [0.01, 0.15],
      [0.1, 0.9],
    ]);
    // Without repeats the means are the points themselves: not drawn.
    const single = fixtureSweep([{ params: { [LR]: 0.01 }, mae: 0.2 }, { params: { [LR]: 0.1 }, mae: 0.3 }]);
    expect(scatterOption({ sweep: single, param: LR, metric: 'mae', logX: false }).series.map((s) => s.name)).toEqual(['trials', 'best']);
  });

  it('uses a log x axis when asked and every value is above 0, a category axis for non-numeric parameters', () => {
    expect(scatterOption({ sweep, param: LR, metric: 'mae', logX: true }).xAxis.type).toBe('log');
    expect(scatterOption({ sweep, param: LR, metric: 'mae', logX: false }).xAxis.type).toBe('value');
    const withZero = fixtureSweep([{ params: { l2: 0 }, mae: 0.2 }, { params: { l2: 0.01 }, mae: 0.3 }]);
    expect(scatterOption({ sweep: withZero, param: 'l2', metric: 'mae', logX: true }).xAxis.type).toBe('value');
    const activations = fixtureSweep([{ params: { act: 'relu' }, mae: 0.2 }, { params: { act: 'tanh' }, mae: 0.3 }, { params: { act: 'relu' }, mae: 0.4 }]);
    const option = scatterOption({ sweep: activations, param: 'act', metric: 'mae', logX: true });
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['relu', 'tanh'] });
    expect(option.series[0]?.data.map((p) => p.value[0])).toEqual(['tanh', 'relu']);
    expect(paramScale(activations, 'act')).toEqual({ kind: 'category', values: ['relu', 'tanh'] });
  });
});

describe("the sweep page's parallel coordinates", () => {
  it('are drawn from two parameters on (three axes with the metric), the best line bold and green', () => {
    expect(showsParallel(sweep)).toBe(false);
    const two = fixtureSweep([
      { params: { [LR]: 0.01, units: 2 }, mae: 0.3 },
      { params: { [LR]: 0.1, units: 4 }, mae: 0.2 },
    ]);
    expect(showsParallel(two)).toBe(true);
    const option = parallelOption(two, 'mae') as { parallelAxis: unknown[]; series: { name: string; lineStyle: { color: string; width: number } }[] };
    expect(option.parallelAxis).toHaveLength(3);
    expect(option.series.find((s) => s.name === 'best')?.lineStyle).toMatchObject({ color: BEST_COLOR, width: 4 });
  });
});
