import type { ExperimentDefinition } from '@trainyard/contract';
import { runPipeline, withSeed, type RunFailure, type RunResult, type StartEvent } from '@trainyard/experiments/pipeline';
import type { BackendChoice } from '@trainyard/nn';
import type { CliIo } from './cli-io.js';
import { EpochProgress } from './output/progress-bar.js';
import { describeStart } from './output/run-report.js';

export type TrainOutcome =
  | { status: 'succeeded'; def: ExperimentDefinition & { seed: number }; start: StartEvent; result: RunResult }
  | { status: 'failed'; def: ExperimentDefinition & { seed: number }; start?: StartEvent; error: RunFailure }
  | { status: 'cancelled'; def: ExperimentDefinition & { seed: number }; start?: StartEvent; epochsCompleted: number };

export interface TrainOptions {
  backend: BackendChoice;
  dataHome: string;
  signal: AbortSignal;
  /** Where progress and the run header go; none for silent runs. */
  progress?: NodeJS.WriteStream;
}

/** Trains one definition in this process (no queue, no database), showing Keras-style progress. */
export async function trainInProcess(definition: ExperimentDefinition, options: TrainOptions, io: Pick<CliIo, 'stderr'>): Promise<TrainOutcome> {
  const def = withSeed(definition);
  const out = options.progress;
  const progress = out ? new EpochProgress(out, def.epochs) : undefined;
  let start: StartEvent | undefined;
  let batches = 0;
  for await (const event of runPipeline(def, {
    backend: options.backend,
    dataHome: options.dataHome,
    signal: options.signal,
    batchProgress: out?.isTTY === true,
    onProgress: (message) => io.stderr.write(`${message}\n`),
  })) {
    switch (event.type) {
      case 'start':
        start = event;
        out?.write(`${describeStart(def.name, event)}\n\n`);
        break;
      case 'batch':
        batches = event.batches;
        progress?.batch(event.epoch, event.batch, event.batches);
        break;
      case 'epoch':
        progress?.epoch(event.epoch, batches, event.durationMs, event.metrics);
        break;
      case 'done':
        if (!start) throw new Error('pipeline finished without a start event');
        return { status: 'succeeded', def, start, result: event.result };
      case 'failed':
        return { status: 'failed', def, ...(start ? { start } : {}), error: event.error };
      case 'cancelled':
        return { status: 'cancelled', def, ...(start ? { start } : {}), epochsCompleted: event.epochsCompleted };
    }
  }
  throw new Error('pipeline ended without a final event');
}
