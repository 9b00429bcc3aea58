import type { RunView } from '@trainyard/contract';
import { describe, expect, it } from 'vitest';
import { runsTable } from './runs-table.js';

function run(overrides: Partial<RunView>): RunView {
  return {
    id: '0b7c2a1e-0000-4000-8000-000000000001',
    name: 'california',
    status: 'SUCCEEDED',
    experimentId: '0b7c2a1e-0000-4000-8000-0000000000e1',
    sweepId: null,
    sweepName: null,
    dataset: 'california_housing',
    seed: 1,
    attempt: 1,
    currentEpoch: 20,
    epochs: 20,
    backend: 'wasm',
    testMetrics: { loss: 0.4, mae: 0.49 },
    queuedAt: '2026-12-04T10:00:00.000Z',
    startedAt: '2026-12-04T10:00:01.000Z',
    finishedAt: '2026-12-04T10:00:05.000Z',
    durationMs: 4000,
    error: null,
    reproducesRunId: null,
    reproduction: null,
    params: null,
    ...overrides,
  };
}

describe('runsTable', () => {
  it('says why a failed run failed, in its own column, cut to a line', () => {
    const failed = run({
      id: '0b7c2a1e-0000-4000-8000-000000000002',
      status: 'FAILED',
      testMetrics: null,
      error: { kind: 'dataset', code: 'DOWNLOAD_FAILED', message: `could not download california_housing from https://example.org: fetch failed (EAI_AGAIN).\n${'x'.repeat(200)}` },
    });
    const [header, , ok, bad] = runsTable([run({}), failed]).split('\n');
    expect(header).toMatch(/\bwhy\s*$/);
    expect(ok?.trimEnd()).toMatch(/4\.0 ?s$/);
    expect(bad).toContain('DOWNLOAD_FAILED: could not download california_housing');
    expect(bad).toContain('…');
    expect(bad).not.toContain('\n');
  });

  it('has no reason column when no run failed', () => {
    expect(runsTable([run({})]).split('\n')[0]).not.toContain('why');
  });

  it("shows a sweep trial as its sweep and its varied parameters with short names, and says the metrics are test metrics", () => {
    const trial = (id: string, learningRate: number, seed: number): RunView =>
      run({
        id,
        name: `california-lr optimizer.learningRate=${learningRate} seed=${seed}`,
        sweepId: '0b7c2a1e-0000-4000-8000-0000000000f1',
        sweepName: 'california-lr',
        seed,
        params: { 'optimizer.learningRate': learningRate },
      });
    const [header, , single, first, second] = runsTable([
      run({}),
      trial('0b7c2a1e-0000-4000-8000-000000000003', 0.01, 1),
      trial('0b7c2a1e-0000-4000-8000-000000000004', 0.001, 2),
    ]).split('\n');
    expect(header).toMatch(/^id\s+name\s+params\s+status\s+epoch\s+dataset\s+test mae\s+backend\s+time$/);
    expect(first).toMatch(/ california-lr {2,}learningRate=0\.01 seed=1 {2,}SUCCEEDED /);
    expect(second).toMatch(/ california-lr {2,}learningRate=0\.001 seed=2 {2,}SUCCEEDED /);
    expect(single).toMatch(/ california {2,}SUCCEEDED /);
  });

  it('has no params column when no run is a sweep trial', () => {
    expect(runsTable([run({})]).split('\n')[0]).not.toContain('params');
  });
});
