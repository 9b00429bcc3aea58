import { parseDefinition } from '@trainyard/contract';
import { multiplyDefinition } from '../../testing/definitions.js';
import type { RunResult, StartEvent } from '../../pipeline/run-events.js';
import { ExperimentRepository } from '../experiment.repository.js';
import type { PrismaClient } from '../prisma-client.js';
import { RunRepository } from '../run.repository.js';

/** An experiment with one QUEUED run, written as a submission would (one transaction). */
export async function seedRun(
  prisma: PrismaClient,
  options: { name?: string; dataset?: string; sweepId?: string; trialKey?: string; seed?: number; epochs?: number; reproducesRunId?: string } = {},
): Promise<{ runId: string; experimentId: string }> {
  return prisma.$transaction(async (tx) => {
    const name = options.name ?? 'notebook-1-multiply';
    // A whole definition, as submissions store it; the dataset column may name another dataset
    // (tests filter by it), the definition always trains the multiply task.
    const definition = parseDefinition({ ...multiplyDefinition(name), epochs: options.epochs ?? 3, seed: options.seed ?? 7 });
    const experiment = await new ExperimentRepository(tx).create({
      name,
      definition,
      specHash: `hash-${name}`,
      dataset: options.dataset ?? 'multiply',
      ...(options.sweepId ? { sweepId: options.sweepId } : {}),
      ...(options.trialKey ? { trialKey: options.trialKey, params: { lr: 0.1 } } : {}),
    });
    const run = await new RunRepository(tx).createQueued({
      experimentId: experiment.id,
      seed: options.seed ?? 7,
      epochs: options.epochs ?? 3,
      ...(options.reproducesRunId ? { reproducesRunId: options.reproducesRunId } : {}),
    });
    return { runId: run.id, experimentId: experiment.id };
  });
}

export const startEvent: StartEvent = {
  type: 'start',
  seed: 7,
  backend: { name: 'cpu', versions: { tfjs: '4.22.0', node: '20.20.2' }, unavailable: [] },
  dataset: { name: 'multiply', task: 'regression', hash: 'd'.repeat(64), rows: 7, featureNames: ['x'], targetNames: ['y'] },
  split: { train: 5, validation: 0, test: 2 },
  summary: { layers: [{ name: 'dense_1', className: 'Dense', outputShape: [null, 1], params: 2 }], totalParams: 2, trainableParams: 2, nonTrainableParams: 0 },
};

export function runResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    testMetrics: { loss: 0.01, mae: 0.1 },
    evaluation: { kind: 'regression', mae: 0.1, mse: 0.01, rmse: 0.1, r2: 0.99 },
    samplesFrom: 'test',
    samples: [{ input: [5], truth: [15], predicted: [14.9] }],
    predictions: [{ input: [5], output: [14.9] }],
    history: [],
    stoppedEarly: false,
    bestEpoch: 3,
    summary: startEvent.summary,
    weights: [{ layer: 'dense_1', kernel: [[2.99]], bias: [0.01] }],
    model: {
      modelJson: { modelTopology: { class_name: 'Sequential' }, weightsManifest: [], format: 'layers-model', generatedBy: 'test', convertedBy: null },
      weightData: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
    },
    preprocessor: { version: 1, task: 'regression', featureNames: ['x'], targetNames: ['y'], features: { kind: 'none' }, target: { kind: 'none' } },
    durationMs: 123.5,
    ...overrides,
  };
}

/** The value, or a test failure naming what was missing (instead of a non-null assertion). */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected a ${what}, got ${String(value)}`);
  return value;
}
