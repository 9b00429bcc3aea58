import { describe, expect, it } from 'vitest';
import { must } from './testing/store-fixtures.js';
import { compareEpochs } from './compare-epochs.js';

const run = (...losses: number[]) => losses.map((loss, i) => ({ epoch: i + 1, metrics: { loss, mae: loss / 2 } as Record<string, number> }));

describe('compareEpochs', () => {
  it('reports an exact reproduction with the number of epochs', () => {
    expect(compareEpochs(run(0.5, 0.25), run(0.5, 0.25))).toEqual({ exact: true, epochs: 2 });
  });

  it('names the first divergent epoch and metric and the largest difference anywhere', () => {
    const rerun = run(0.5, 0.25, 0.1);
    must(rerun[1]).metrics.mae = 0.125 + 1e-9;
    must(rerun[2]).metrics.loss = 0.1 + 0.01;
    const result = compareEpochs(run(0.5, 0.25, 0.1), rerun);
    expect(result).toMatchObject({ exact: false, firstDivergentEpoch: 2, metric: 'mae' });
    expect(result.exact === false && result.maxAbsDiff).toBeCloseTo(0.01, 12);
  });

  it('treats a difference in the last bit as a divergence', () => {
    const x = 0.1 + 0.2;
    expect(compareEpochs(run(x), run(0.3)).exact).toBe(false);
  });

  it('counts a missing epoch as a divergence with no metric', () => {
    expect(compareEpochs(run(0.5, 0.25), run(0.5))).toEqual({ exact: false, maxAbsDiff: 0, firstDivergentEpoch: 2, metric: null });
  });

  it('counts a metric only one run has', () => {
    const rerun = run(0.5);
    must(rerun[0]).metrics.acc = 1;
    expect(compareEpochs(run(0.5), rerun)).toMatchObject({ exact: false, firstDivergentEpoch: 1, metric: 'acc' });
  });
});
