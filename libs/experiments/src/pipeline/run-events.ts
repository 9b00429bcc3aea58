import type { Cell, PreprocessorState, Task } from '@trainyard/data';
import type { BackendInfo, ClassReport, EpochReport, LayerWeights, ModelArtifacts, ModelSummary } from '@trainyard/nn';

/** What a run reports, in order: start, then epochs (with batch progress), then one of done, failed, cancelled. */
export type RunEvent = StartEvent | BatchEvent | EpochEvent | DoneEvent | FailedEvent | CancelledEvent;

export interface DatasetInfo {
  name: string;
  task: Task;
  hash: string;
  rows: number;
  featureNames: string[];
  targetNames: string[];
  classNames?: string[];
  /** Image datasets (as images or as features): [height, width, channels] of one raw row, so samples can be drawn. */
  imageShape?: [number, number, number];
  /** Image datasets: the largest raw pixel value (255; 16 for digits). */
  pixelMax?: number;
}

export interface StartEvent {
  type: 'start';
  seed: number;
  backend: BackendInfo;
  dataset: DatasetInfo;
  split: { train: number; validation: number; test: number };
  summary: ModelSummary;
  /** Weights before training, for models of at most SMALL_MODEL_PARAMS parameters. */
  initialWeights?: LayerWeights[];
  /** Set when the run trains in a pack with others (see runPackedPipeline). */
  pack?: PackInfo;
}

/** A pack a run trained in: its trials at the start, and their run ids when a worker packed them. */
export interface PackInfo {
  size: number;
  runIds?: string[];
}

export interface BatchEvent {
  type: 'batch';
  epoch: number;
  batch: number;
  batches: number;
}

export interface EpochEvent {
  type: 'epoch';
  epoch: number;
  epochs: number;
  metrics: Record<string, number>;
  durationMs: number;
}

export interface RegressionEvaluation {
  kind: 'regression';
  mae: number;
  mse: number;
  rmse: number;
  r2: number;
}

export interface ClassificationEvaluation {
  kind: 'classification';
  accuracy: number;
  macroF1: number;
  classNames: string[];
  /** Rows are true classes, columns predicted ones. */
  confusionMatrix: number[][];
  perClass: ClassReport[];
}

export type Evaluation = RegressionEvaluation | ClassificationEvaluation;

/** One row seen by the trained model: raw inputs, the truth and the prediction in the target's own units. */
export interface Sample {
  /** The row as the dataset has it: numbers, texts of category columns, null for missing cells. */
  input: Cell[];
  truth: number[] | string;
  predicted: number[] | string;
}

export interface Prediction {
  input: Cell[];
  /** Regression: values in the target's units. Classification: class probabilities. */
  output: number[];
  /** Classification: the predicted class. */
  label?: string;
}

export interface RunResult {
  /** Metric name -> value on the held-out test part; empty when the split has no test part. */
  testMetrics: Record<string, number>;
  evaluation: Evaluation | null;
  /** Which rows `samples` come from: the test part, or the training rows when there is none. */
  samplesFrom: 'test' | 'train';
  samples: Sample[];
  predictions: Prediction[];
  history: EpochReport[];
  stoppedEarly: boolean;
  bestEpoch?: number;
  summary: ModelSummary;
  /** Trained weights, for models of at most SMALL_MODEL_PARAMS parameters. */
  weights?: LayerWeights[];
  model: ModelArtifacts;
  preprocessor: PreprocessorState;
  durationMs: number;
}

export interface DoneEvent {
  type: 'done';
  result: RunResult;
}

export type FailureKind = 'definition' | 'dataset' | 'training' | 'internal';

export interface RunFailure {
  kind: FailureKind;
  code: string;
  message: string;
  /** Whether trying again may succeed (a download that failed), as opposed to a bad definition or a NaN loss. */
  retryable: boolean;
  epoch?: number;
}

export interface FailedEvent {
  type: 'failed';
  error: RunFailure;
}

export interface CancelledEvent {
  type: 'cancelled';
  epochsCompleted: number;
}
