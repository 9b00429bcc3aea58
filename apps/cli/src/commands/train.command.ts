import { DefinitionError } from '@trainyard/contract';
import type { BackendChoice } from '@trainyard/nn';
import { EXIT, printJson, type CliIo } from '../cli-io.js';
import { trainDataset } from '../datasets/train-dataset.js';
import { describeResult } from '../output/run-report.js';
import type { Override } from '../overrides.js';
import { readDefinition } from '../read-definition.js';
import { saveRun } from '../save-run.js';
import { trainInProcess, type TrainOutcome } from '../train-in-process.js';
import { indent } from './validate.command.js';

/** JSON output keeps the first rows of the sample like the text table does. */
const JSON_SAMPLES = 10;

export interface TrainCommandOptions {
  backend: BackendChoice;
  dataHome: string;
  out?: string;
  json: boolean;
  signal: AbortSignal;
  /** `--set FIELD=VALUE` and `--epochs N`, applied to the file's definition. */
  overrides?: readonly Override[];
}

/** `trainyard train FILE`: trains in-process and prints what the notebook printed. */
export async function trainCommand(file: string, options: TrainCommandOptions, io: CliIo): Promise<number> {
  let definition;
  try {
    definition = await readDefinition(file, options.overrides);
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    if (options.json) printJson(io, { error: { kind: 'definition', code: error.code, message: error.message, issues: error.issues } });
    else io.stderr.write(`${file}: invalid definition\n${indent(error.message)}\n`);
    return EXIT.usage;
  }
  const local = await trainDataset(definition, file);
  if (!local.ok) {
    if (options.json) printJson(io, { error: { kind: 'definition', code: 'DATASET_NOT_LOCAL', message: local.message } });
    else io.stderr.write(`${file}: ${local.message}\n`);
    return EXIT.usage;
  }
  definition = local.def;

  // With --json, stdout carries only the JSON; progress goes to a terminal's stderr.
  const progress = options.json ? (io.stderr.isTTY ? io.stderr : undefined) : io.stdout;
  const outcome = await trainInProcess(
    definition,
    { backend: options.backend, dataHome: options.dataHome, signal: options.signal, ...(progress ? { progress } : {}) },
    io,
  );
  const files = outcome.status === 'succeeded' && options.out ? await saveRun(options.out, outcome.def, outcome.start, outcome.result) : [];

  if (options.json) printJson(io, jsonReport(outcome, files));
  else printText(outcome, files, io);
  if (outcome.status === 'succeeded') return EXIT.ok;
  return outcome.status === 'cancelled' ? EXIT.interrupted : outcome.error.kind === 'definition' ? EXIT.usage : EXIT.failed;
}

function printText(outcome: TrainOutcome, files: string[], io: CliIo): void {
  if (outcome.status === 'failed') {
    io.stderr.write(`\nRun "${outcome.def.name}" failed (${outcome.error.kind} ${outcome.error.code}):\n${indent(outcome.error.message)}\n`);
    return;
  }
  if (outcome.status === 'cancelled') {
    io.stderr.write(`\nRun "${outcome.def.name}" cancelled after ${outcome.epochsCompleted} epochs.\n`);
    return;
  }
  const { start, result } = outcome;
  io.stdout.write(`\n${describeResult(outcome.def.name, result, start.dataset.featureNames, start.dataset.targetNames, start.dataset.imageShape)}\n`);
  if (files.length > 0) io.stdout.write(`\nSaved to ${files.join(', ')}\n`);
}

function jsonReport(outcome: TrainOutcome, files: string[]): unknown {
  const { def } = outcome;
  const head = {
    name: def.name,
    status: outcome.status,
    seed: def.seed,
    ...(outcome.start
      ? {
          backend: outcome.start.backend.name,
          versions: outcome.start.backend.versions,
          dataset: outcome.start.dataset,
          split: outcome.start.split,
          params: outcome.start.summary.totalParams,
        }
      : {}),
  };
  if (outcome.status === 'failed') return { ...head, error: outcome.error };
  if (outcome.status === 'cancelled') return { ...head, epochsCompleted: outcome.epochsCompleted };
  const { result, start } = outcome;
  return {
    ...head,
    summary: result.summary,
    epochs: result.history.map((e) => ({ epoch: e.epoch, ...e.metrics, durationMs: e.durationMs })),
    stoppedEarly: result.stoppedEarly,
    ...(result.bestEpoch !== undefined ? { bestEpoch: result.bestEpoch } : {}),
    testMetrics: result.testMetrics,
    evaluation: result.evaluation,
    samplesFrom: result.samplesFrom,
    samples: result.samples.slice(0, JSON_SAMPLES),
    ...(def.predict ? { predictions: result.predictions } : {}),
    ...(result.weights ? { weights: result.weights, initialWeights: start.initialWeights } : {}),
    durationMs: result.durationMs,
    ...(files.length > 0 ? { files } : {}),
  };
}
