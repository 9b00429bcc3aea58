import type { TrialParams } from '@trainyard/contract';
import { describe, expect, it } from 'vitest';
import { defaultSweepMetric, summarizeSweep, type SweepTrialInput } from './sweep-summary.js';

const trial = (
  runId: string,
  params: TrialParams,
  testMetrics: Record<string, number> | null,
  status: SweepTrialInput['status'] = 'SUCCEEDED',
): SweepTrialInput => ({ runId, status, params, testMetrics });

describe('summarizeSweep', () => {
  const trials = [
    trial('a1', { 'optimizer.learningRate': 0.01 }, { loss: 0.5, mae: 0.4, r2: 0.7 }),
    trial('a2', { 'optimizer.learningRate': 0.01 }, { loss: 0.3, mae: 0.2, r2: 0.9 }),
    trial('b1', { 'optimizer.learningRate': 0.1 }, { loss: 0.2, mae: 0.3, r2: 0.8 }),
    trial('b2', { 'optimizer.learningRate': 0.1 }, null, 'FAILED'),
    trial('c1', { 'optimizer.learningRate': 1 }, { loss: 0.01, mae: 0.01, r2: 0.99 }, 'RUNNING'),
  ];

  it('groups the repeats of a configuration with mean and sample std over SUCCEEDED runs only', () => {
    const summary = summarizeSweep(trials);
    expect(summary.params).toEqual(['optimizer.learningRate']);
    expect(summary.groups.map((g) => [g.params, g.runs, g.succeeded])).toEqual([
      [{ 'optimizer.learningRate': 0.01 }, ['a1', 'a2'], 2],
      [{ 'optimizer.learningRate': 0.1 }, ['b1', 'b2'], 1],
      [{ 'optimizer.learningRate': 1 }, ['c1'], 0],
    ]);
    const [a, b, c] = summary.groups;
    expect(a?.metrics['mae']?.mean).toBeCloseTo(0.3, 12);
    // sample std of 0.4 and 0.2: sqrt(((0.1)^2 + (0.1)^2) / 1)
    expect(a?.metrics['mae']?.std).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(b?.metrics['mae']).toEqual({ mean: 0.3, std: 0 });
    expect(c?.metrics).toEqual({});
  });

  it('takes the first metric after loss by default and minimizes it; a RUNNING trial is never best', () => {
    const summary = summarizeSweep(trials);
    expect(summary.metric).toBe('mae');
    expect(summary.best).toEqual({ runId: 'a2', metric: 'mae', value: 0.2 });
  });

  it('maximizes accuracy, macro_f1 and r2', () => {
    expect(summarizeSweep(trials, 'r2').best).toEqual({ runId: 'a2', metric: 'r2', value: 0.9 });
    expect(summarizeSweep(trials, 'loss').best).toEqual({ runId: 'b1', metric: 'loss', value: 0.2 });
  });

  it('answers no best for a metric no SUCCEEDED trial has, and for a sweep with nothing finished', () => {
    expect(summarizeSweep(trials, 'accuracy').best).toBeNull();
    const none = summarizeSweep([trial('q', { seed: 1 }, null, 'QUEUED')]);
    expect(none).toEqual({ params: ['seed'], metric: null, groups: [{ params: { seed: 1 }, runs: ['q'], succeeded: 0, metrics: {} }], best: null });
  });

  it('treats key order of params as the same configuration and collects every varied path', () => {
    const summary = summarizeSweep([trial('x', { a: 1, b: 2 }, { loss: 1, accuracy: 0.5 }), trial('y', { b: 2, a: 1 }, { loss: 1, accuracy: 0.7 }), trial('z', { a: 2, c: 'relu' }, { loss: 1, accuracy: 0.6 })]);
    expect(summary.params).toEqual(['a', 'b', 'c']);
    expect(summary.groups).toHaveLength(2);
    expect(summary.best).toEqual({ runId: 'y', metric: 'accuracy', value: 0.7 });
  });
});

describe('defaultSweepMetric', () => {
  it('follows Keras order: accuracy before macro_f1, mae before mse; unknown names after, by name', () => {
    expect(defaultSweepMetric([trial('a', {}, { loss: 1, macro_f1: 0.5, accuracy: 0.6 })])).toBe('accuracy');
    expect(defaultSweepMetric([trial('a', {}, { r2: 0.5, mse: 1, loss: 1, mae: 1, rmse: 1 })])).toBe('mae');
    expect(defaultSweepMetric([trial('a', {}, { loss: 1, zeta: 1, alpha: 2 })])).toBe('alpha');
    expect(defaultSweepMetric([trial('a', {}, { loss: 1 })])).toBeNull();
  });
});
