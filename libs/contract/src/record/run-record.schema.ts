import { z } from 'zod';
import { cellSchema } from '../datasets/table-profile.schema.js';

/*
 * What a run's JSON columns hold (env, summary, evaluation, samples, predictions, weights,
 * releases, reproduction), as the worker writes them and every reader parses them: the
 * store when it reads a row, the API when it answers, the CLI and the web when they receive.
 *
 * A run row carries the version of these shapes it was written with (`recordVersion`);
 * upgradeRunRecord reads every earlier version into the current one, so old rows stay
 * readable when a shape changes. Versions:
 *   0: rows written before versions existed (release entries without `crashed`).
 *   1: release entries say whether the hand-back counted as a crash.
 */
export const RUN_RECORD_VERSION = 1;

/**
 * Metrics by name. Rows written before non-finite metrics failed a run hold null where the value
 * was Infinity or NaN (JSON has neither): such a metric is read as absent.
 */
export const metricsRecordSchema = z.record(z.string(), z.number().nullable()).transform((values) => {
  const finite: Record<string, number> = {};
  for (const [name, value] of Object.entries(values)) if (value !== null) finite[name] = value;
  return finite;
});

export const backendInfoSchema = z.object({
  name: z.enum(['tensorflow', 'wasm', 'cpu']),
  /** tfjs, the backend package and node. */
  versions: z.record(z.string(), z.string()),
  /** Backends tried before `name` and why they failed ('auto' only). */
  unavailable: z.array(z.object({ name: z.enum(['tensorflow', 'wasm', 'cpu']), reason: z.string() })),
});

export const datasetInfoSchema = z.object({
  name: z.string(),
  task: z.enum(['regression', 'classification']),
  /** sha256 of the dataset's content. */
  hash: z.string(),
  rows: z.number().int(),
  featureNames: z.array(z.string()),
  targetNames: z.array(z.string()),
  classNames: z.array(z.string()).optional(),
  /** Images: [height, width, channels] of one input, so a row can be drawn; absent for tables. */
  imageShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]).optional(),
  /** Images: the largest raw pixel value (255, 16 for the digits). */
  pixelMax: z.number().positive().optional(),
});

export const layerWeightsSchema = z.object({
  layer: z.string(),
  /** [inputs, units], as Keras' get_weights()[0]. */
  kernel: z.array(z.array(z.number())).optional(),
  bias: z.array(z.number()).optional(),
});

/**
 * A run trained in a pack: with how many trials it started, and their runs (this one among them)
 * when a worker packed them. A pack of one is a rerun of a packed run, trained through the
 * pack's kernels so that it can reproduce the packed run's numbers.
 */
export const packInfoSchema = z.object({
  size: z.number().int().min(1),
  runIds: z.array(z.string()).optional(),
});

/** The run's environment: what the pipeline's start event reports (the summary has its own column). */
export const runEnvSchema = z.object({
  backend: backendInfoSchema,
  dataset: datasetInfoSchema,
  split: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  /** Weights before training, for small models. */
  initialWeights: z.array(layerWeightsSchema).optional(),
  /** Absent for a run trained alone. */
  pack: packInfoSchema.optional(),
});

/** Keras' model.summary() numbers. */
export const modelSummarySchema = z.object({
  layers: z.array(
    z.object({
      name: z.string(),
      /** Keras class name: Dense, Dropout, BatchNormalization, Flatten. */
      className: z.string(),
      /** With the batch axis first, null as in Keras' (None, 16). */
      outputShape: z.array(z.number().nullable()),
      params: z.number().int(),
    }),
  ),
  totalParams: z.number().int(),
  trainableParams: z.number().int(),
  nonTrainableParams: z.number().int(),
});

export const classReportSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() });

export const evaluationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('regression'), mae: z.number(), mse: z.number(), rmse: z.number(), r2: z.number() }),
  z.object({
    kind: z.literal('classification'),
    accuracy: z.number(),
    macroF1: z.number(),
    classNames: z.array(z.string()),
    /** Rows are true classes, columns predicted ones. */
    confusionMatrix: z.array(z.array(z.number().int())),
    perClass: z.array(classReportSchema),
  }),
]);

/** One row seen by the trained model: raw inputs, the truth and the prediction in the target's own units. */
export const sampleSchema = z.object({
  /** As the dataset has it: numbers, texts (categories) and null (missing). */
  input: z.array(cellSchema),
  truth: z.union([z.array(z.number()), z.string()]),
  predicted: z.union([z.array(z.number()), z.string()]),
});

export const predictionSchema = z.object({
  input: z.array(cellSchema),
  /** Regression: values in the target's units. Classification: class probabilities. */
  output: z.array(z.number()),
  /** Classification: the predicted class. */
  label: z.string().optional(),
});

/** One time a run went back to the queue without finishing. */
export const runReleaseSchema = z.object({
  attempt: z.number().int(),
  reason: z.string(),
  /** ISO time. */
  at: z.string(),
  /** Whether this hand-back counted as a crash (its training thread died). */
  crashed: z.boolean(),
});

/** A rerun compared with the run it reproduces, per epoch and metric, bit for bit. */
export const reproductionSchema = z.discriminatedUnion('exact', [
  z.object({ exact: z.literal(true), epochs: z.number().int() }),
  z.object({
    exact: z.literal(false),
    /** Largest |rerun - original| over the metrics both runs have at the same epoch. */
    maxAbsDiff: z.number(),
    /** First epoch where a metric differs or one run has no row. */
    firstDivergentEpoch: z.number().int(),
    /** The metric that differs there (null when a whole epoch is missing). */
    metric: z.string().nullable(),
  }),
]);

export type BackendInfoRecord = z.output<typeof backendInfoSchema>;
export type RunEnvRecord = z.output<typeof runEnvSchema>;
export type ModelSummaryRecord = z.output<typeof modelSummarySchema>;
export type EvaluationRecord = z.output<typeof evaluationSchema>;
export type SampleRecord = z.output<typeof sampleSchema>;
export type PredictionRecord = z.output<typeof predictionSchema>;
export type LayerWeightsRecord = z.output<typeof layerWeightsSchema>;
export type RunRelease = z.output<typeof runReleaseSchema>;
export type Reproduction = z.output<typeof reproductionSchema>;

/** A run's JSON columns in the current version, each null when the run has not written it. */
export const runRecordSchema = z.object({
  testMetrics: metricsRecordSchema.nullable(),
  env: runEnvSchema.nullable(),
  summary: modelSummarySchema.nullable(),
  evaluation: evaluationSchema.nullable(),
  samples: z.array(sampleSchema).nullable(),
  predictions: z.array(predictionSchema).nullable(),
  weights: z.array(layerWeightsSchema).nullable(),
  releases: z.array(runReleaseSchema),
  reproduction: reproductionSchema.nullable(),
});
export type RunRecord = z.output<typeof runRecordSchema>;

/** The columns as they come out of the database: JSON of any version. */
export type StoredRunRecord = { [K in keyof RunRecord]?: unknown };

const UPGRADES: Record<number, (columns: StoredRunRecord) => StoredRunRecord> = {
  // Version 0 wrote no `crashed` on release entries; no hand-back counted as a crash then.
  0: (columns) => ({
    ...columns,
    releases: Array.isArray(columns.releases) ? columns.releases.map((entry: unknown) => ({ crashed: false, ...(entry as object) })) : columns.releases,
  }),
};

/**
 * Reads a row's JSON columns written at `version` as the current version: upgrades them one
 * version at a time, then parses them (a ZodError names the column and field that does not
 * fit). Columns left out are not read and come back as null (releases as []).
 */
export function upgradeRunRecord(version: number, columns: StoredRunRecord): RunRecord {
  if (!Number.isInteger(version) || version < 0 || version > RUN_RECORD_VERSION) {
    throw new Error(`run record version ${version} is not one this build reads (0..${RUN_RECORD_VERSION}); upgrade trainyard`);
  }
  let current = columns;
  for (let v = version; v < RUN_RECORD_VERSION; v++) current = UPGRADES[v]?.(current) ?? current;
  return runRecordSchema.parse({
    testMetrics: current.testMetrics ?? null,
    env: current.env ?? null,
    summary: current.summary ?? null,
    evaluation: current.evaluation ?? null,
    samples: current.samples ?? null,
    predictions: current.predictions ?? null,
    weights: current.weights ?? null,
    releases: current.releases ?? [],
    reproduction: current.reproduction ?? null,
  });
}
