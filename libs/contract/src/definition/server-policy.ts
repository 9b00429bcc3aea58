import { z } from 'zod';
import { factsOf } from './dataset-facts.js';
import type { DefinitionIssue } from './definition-error.js';
import type { ExperimentDefinition } from './experiment-definition.schema.js';
import { inputShapeOf } from './layer-rules.js';
import { layerShapes } from './layer-shapes.js';

/** Why a definition that reaches a server may not name a file (see checkSubmission). */
export const LOCAL_FILE_REFUSED =
  'a definition sent to a server cannot name a file: a worker would read it from its own disk. ' +
  'Upload it as a dataset (`trainyard submit FILE` does it for a definition with a csv path, or `trainyard dataset add data.csv --name NAME`) and name it: "dataset": {"name": "NAME", "target": ...}';

/** What a server accepts beyond the definition schema: one run's time and size. */
export interface ServerLimits {
  /** Wall-clock seconds of one run; also the limit of a definition that sets none. */
  maxRunSeconds: number;
  /** Parameters of one model (weights and biases, trainable or not). */
  maxParams: number;
  /** Estimated memory of one training step, bytes (see estimateTrainingMemory). */
  maxStepBytes: number;
}

const MIB = 2 ** 20;

/**
 * The limits from the environment, for the apps' env schemas (API and worker read the same
 * variables). Defaults: 6 hours; 5 million parameters (20 MB of float32 weights, far above
 * the tabular and small-image models this is for); 1 GiB per training step, well below
 * what the 4 GiB address space of the wasm backend and a 24 GiB, 2-core worker can hold.
 */
export const serverLimitsEnv = {
  TRAINYARD_MAX_RUN_SECONDS: z.coerce.number().int().min(1).default(6 * 3600),
  TRAINYARD_MAX_PARAMS: z.coerce.number().int().min(1).default(5_000_000),
  TRAINYARD_MAX_STEP_MB: z.coerce.number().int().min(1).default(1024),
};

export function serverLimitsOf(env: { [K in keyof typeof serverLimitsEnv]: number }): ServerLimits {
  return {
    maxRunSeconds: env.TRAINYARD_MAX_RUN_SECONDS,
    maxParams: env.TRAINYARD_MAX_PARAMS,
    maxStepBytes: env.TRAINYARD_MAX_STEP_MB * MIB,
  };
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = serverLimitsOf(z.object(serverLimitsEnv).parse({}));

/** The wall-clock limit a run gets on a server: the definition's, never above the server's. */
export function runTimeLimitSeconds(def: Pick<ExperimentDefinition, 'timeLimitSeconds'>, limits: Pick<ServerLimits, 'maxRunSeconds'>): number {
  return Math.min(def.timeLimitSeconds ?? limits.maxRunSeconds, limits.maxRunSeconds);
}

export interface TrainingMemoryEstimate {
  params: number;
  /** Weights, their gradients and the optimizer's slots. */
  paramBytes: number;
  /** One batch's activations, forward and backward. */
  activationBytes: number;
  totalBytes: number;
}

const FLOAT_BYTES = 4;
/** Float32 slots per weight besides the weight itself and its gradient. */
function optimizerSlots(def: ExperimentDefinition): number {
  const optimizer = def.optimizer;
  switch (optimizer.name) {
    case 'sgd':
      return optimizer.momentum > 0 ? 1 : 0;
    case 'adam':
      return 2;
    case 'rmsprop':
      return optimizer.momentum > 0 ? 2 : 1;
    case 'adagrad':
      return 1;
  }
}

/**
 * A deliberately rough estimate of one training step's memory, from the layer sizes alone:
 * float32 weights, gradients and optimizer slots, plus for each layer its output for the
 * whole batch (a convolution's is height x width x filters per sample), kept for the backward
 * pass, a pre-activation copy and the gradient of each. It is for refusing what cannot fit
 * before a worker tries, not for planning. Undefined when the input shape is not known before
 * the data is read (a CSV file), or when the layers do not fit it (the definition rules say why).
 */
export function estimateTrainingMemory(def: ExperimentDefinition): TrainingMemoryEstimate | undefined {
  const input = inputShapeOf(factsOf(def.dataset));
  if (input === undefined) return undefined;
  const shapes = layerShapes(def.model.layers, input);
  if (!shapes.ok) return undefined;
  let params = 0;
  let activations = input.reduce((a, b) => a * b, 1);
  for (const layer of shapes.layers) {
    params += layer.params;
    activations += layer.activations;
  }
  const paramBytes = params * FLOAT_BYTES * (2 + optimizerSlots(def));
  const activationBytes = def.batchSize * activations * FLOAT_BYTES * 2; // forward and backward
  return { params, paramBytes, activationBytes, totalBytes: paramBytes + activationBytes };
}

const mib = (bytes: number): string => `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`;

/**
 * What a server checks of a definition before anything is written or queued, beyond the
 * schema and the dataset rules: no file on a worker's disk, a time limit within the server's,
 * a model and a batch that fit a worker. Every issue names the field and what is allowed.
 */
export function checkSubmission(def: ExperimentDefinition, limits: ServerLimits): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (def.dataset.name === 'csv') issues.push({ path: 'dataset.path', message: LOCAL_FILE_REFUSED });
  if (def.timeLimitSeconds !== undefined && def.timeLimitSeconds > limits.maxRunSeconds) {
    issues.push({ path: 'timeLimitSeconds', message: `must be <= ${limits.maxRunSeconds} (this server's TRAINYARD_MAX_RUN_SECONDS)` });
  }
  const estimate = estimateTrainingMemory(def);
  if (estimate && estimate.params > limits.maxParams) {
    issues.push({
      path: 'model.layers',
      message: `the model has ${estimate.params.toLocaleString('en-US')} parameters; this server allows at most ${limits.maxParams.toLocaleString('en-US')} (TRAINYARD_MAX_PARAMS)`,
    });
  }
  if (estimate && estimate.totalBytes > limits.maxStepBytes) {
    issues.push({
      path: 'batchSize',
      message:
        `one training step needs about ${mib(estimate.totalBytes)} (weights, gradients and optimizer state ${mib(estimate.paramBytes)}, ` +
        `activations of a batch of ${def.batchSize} ${mib(estimate.activationBytes)}); this server allows ${mib(limits.maxStepBytes)} ` +
        '(TRAINYARD_MAX_STEP_MB): use a smaller batchSize or smaller layers',
    });
  }
  return issues;
}
