import type { RunView } from '@trainyard/contract';
import { describe, expect, it } from 'vitest';
import { demoResultsTable, formatPredictions, resumedTrials } from './demo-results.js';

function run(over: Partial<RunView> & Pick<RunView, 'id' | 'name'>): RunView {
  return {
    status: 'SUCCEEDED',
    experimentId: '00000000-0000-4000-8000-000000000000',
    sweepId: null,
    sweepName: null,
    dataset: 'sum',
    seed: 7,
    attempt: 1,
    currentEpoch: 100,
    epochs: 100,
    backend: 'wasm',
    testMetrics: null,
    queuedAt: '2026-12-04T10:00:00.000Z',
    startedAt: '2026-12-04T10:00:01.000Z',
    finishedAt: '2026-12-04T10:00:03.000Z',
    durationMs: 2100,
    error: null,
    reproducesRunId: null,
    reproduction: null,
    params: null,
    ...over,
  };
}

const id = (n: number): string => `c0ffee${String(n).padStart(2, '0')}-0000-4000-8000-000000000000`;

describe('the demo closing table', () => {
  it("shows the notebook's headline results: the predictions for 5 and -9, for 4+2 and 6+2, and the California test MAE", () => {
    const table = demoResultsTable([
      {
        run: run({ id: 'a1b2c3d4-0000-4000-8000-000000000000', name: 'notebook-1-multiply', dataset: 'multiply' }),
        predictions: [
          { input: [5], output: [14.99731] },
          { input: [-9], output: [-26.99718] },
        ],
        expected: '15, -27',
      },
      {
        run: run({ id: id(2), name: 'notebook-2-sum', currentEpoch: 200, epochs: 200, testMetrics: { loss: 0.0003, mae: 0.01491 } }),
        predictions: [
          { input: [4, 2], output: [6.0041] },
          { input: [6, 2], output: [7.9977] },
        ],
        expected: '6, 8',
      },
      {
        run: run({ id: id(3), name: 'notebook-3-california', dataset: 'california_housing', currentEpoch: 20, epochs: 20, testMetrics: { loss: 0.41, mae: 0.4712 }, durationMs: 41_200 }),
        predictions: [{ input: [8.3252, 41, 6.984127, 1.0238095, 322, 2.5555556, 37.88, -122.23], output: [4.1327] }],
      },
      { run: run({ id: id(4), name: 'sum-small optimizer.learningRate=0.01', status: 'FAILED', currentEpoch: 3, testMetrics: null, durationMs: null }) },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+status\s+epoch\s+test mae\s+predictions\s+notebook\s+time$/);
    expect(lines[2]).toMatch(/^a1b2c3d4\s+notebook-1-multiply\s+SUCCEEDED\s+100\/100\s+-\s+5 -> 15\.00, -9 -> -27\.00\s+15, -27\s+2\.1s$/);
    expect(lines[3]).toMatch(/notebook-2-sum\s+SUCCEEDED\s+200\/200\s+0\.0149\s+\(4, 2\) -> 6\.00, \(6, 2\) -> 8\.00\s+6, 8\s+2\.1s$/);
    expect(lines[4]).toMatch(/notebook-3-california\s+SUCCEEDED\s+20\/20\s+0\.4712\s+\(8\.3252, 41, …\) -> 4\.13\s+41\.2s$/);
    expect(lines[5]).toMatch(/sum-small optimizer\.learningRate=0\.01\s+FAILED\s+3\/100\s+-\s+-\s+-$/);
    // The loss is the training objective, not a headline: no column.
    expect(lines[0]).not.toMatch(/loss/);
  });

  it('says a class for a classifier, and has no notebook column when nothing is expected', () => {
    expect(formatPredictions([{ input: [5.1, 3.5, 1.4, 0.2], output: [0.97, 0.02, 0.01], label: 'setosa' }])).toBe('(5.1, 3.5, …) -> setosa');
    expect(demoResultsTable([{ run: run({ id: id(1), name: 'x' }) }]).split('\n')[0]).toMatch(/^id\s+name\s+status\s+epoch\s+predictions\s+time$/);
    // Only the metrics asked for (and recorded) get a column.
    const rows = [{ run: run({ id: id(1), name: 'x', testMetrics: { loss: 1, mae: 0.5, mse: 1, r2: 0.9 } }) }];
    expect(demoResultsTable(rows, { metrics: ['mae', 'accuracy'] }).split('\n')[0]).toMatch(/^id\s+name\s+status\s+epoch\s+test mae\s+predictions\s+time$/);
    expect(demoResultsTable(rows).split('\n')[0]).toMatch(/test mae\s+test mse\s+test r2/);
  });
});

describe('resumedTrials', () => {
  it("a resumed sweep's earlier trials: queued, running or succeeded, not those queued now, not reruns, oldest first", () => {
    const at = (minute: number): string => `2026-12-04T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const sweepRuns = [
      run({ id: id(9), name: 'queued now', status: 'QUEUED', queuedAt: at(9) }),
      run({ id: id(8), name: 'rerun', queuedAt: at(8), reproducesRunId: id(1) }),
      run({ id: id(3), name: 'c', status: 'RUNNING', queuedAt: at(3) }),
      run({ id: id(2), name: 'failed, queued again', status: 'FAILED', queuedAt: at(2) }),
      run({ id: id(1), name: 'a', queuedAt: at(1) }),
    ];
    expect(resumedTrials(sweepRuns, new Set([id(9)]), 2).map((r) => r.name)).toEqual(['a', 'c']);
    expect(resumedTrials(sweepRuns, new Set([id(9)]), 1).map((r) => r.name)).toEqual(['c']);
    expect(resumedTrials([], new Set(), 6)).toEqual([]);
  });
});
