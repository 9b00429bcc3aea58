import type {
  EvaluationRecord,
  LayerWeightsRecord,
  ModelFileName,
  ModelSummaryRecord,
  PredictionRecord,
  RunEnvRecord,
  SampleRecord,
} from '@trainyard/contract';
import type { LayerWeights, ModelSummary, WEIGHTS_FILE } from '@trainyard/nn';
import type { Evaluation, Prediction, Sample, StartEvent } from './run-events.js';

/*
 * What the pipeline reports is what the record's schemas (libs/contract/src/record) read
 * back: each line fails to compile when one side changes without the other.
 */
type Fits<Written, Read> = [Written] extends [Read] ? true : false;
type Holds<T extends true> = T;

export type RecordShapesHold = [
  Holds<Fits<Omit<StartEvent, 'type' | 'seed' | 'summary'>, RunEnvRecord>>,
  Holds<Fits<ModelSummary, ModelSummaryRecord>>,
  Holds<Fits<Evaluation, EvaluationRecord>>,
  Holds<Fits<Sample, SampleRecord>>,
  Holds<Fits<Prediction, PredictionRecord>>,
  Holds<Fits<LayerWeights, LayerWeightsRecord>>,
  // The weights file nn's model.json names is one the API serves.
  Holds<Fits<typeof WEIGHTS_FILE, ModelFileName>>,
];
