import type { Cell, Preprocessor } from '@trainyard/data';
import { classificationMetrics, regressionMetrics, TrainingError, type Network, type NumberRows } from '@trainyard/nn';
import type { DataPart } from './prepare-data.js';
import type { Evaluation, Prediction, Sample } from './run-events.js';

/** How many held-out rows a run keeps with their predictions (enough for a predicted-vs-true chart). */
export const SAMPLE_ROWS = 500;
/**
 * Images: the pixel values a run keeps in its samples, at most (about 255 MNIST digits, or 16
 * RGB pictures of 64x64), and never fewer than MIN_IMAGE_SAMPLES images nor more than SAMPLE_ROWS.
 */
export const SAMPLE_PIXELS = 200_000;
const MIN_IMAGE_SAMPLES = 8;

/**
 * The model's answer for preprocessed rows, in the target's own units: regression values
 * through the inverse target scaling, or class probabilities for classification.
 */
function predictX(net: Network, preprocessor: Preprocessor, x: NumberRows): number[][] {
  const out = net.predict(x);
  if (preprocessor.state.task === 'regression') return preprocessor.inverseY(out);
  // A single sigmoid unit gives P(class 1); spread it into both classes' probabilities.
  return out.map((row) => (row.length === 1 ? [1 - (row[0] ?? 0), row[0] ?? 0] : row));
}

function argmax(row: number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] ?? -Infinity) > (row[best] ?? -Infinity)) best = i;
  return best;
}

export interface TestEvaluation {
  testMetrics: Record<string, number>;
  evaluation: Evaluation;
  /** The model's outputs for every test row (the samples are chosen from them). */
  outputs: number[][];
}

/**
 * Test metrics on the held-out part: the loss as Keras' evaluate reports it, then
 * MAE/MSE/RMSE/R² in the target's units, or accuracy, macro F1 and the confusion matrix.
 */
export function evaluateTestPart(net: Network, preprocessor: Preprocessor, test: DataPart): TestEvaluation {
  const { loss } = net.evaluate(test.x, test.y);
  // JSON has no Infinity or NaN: a record would lose the value and every reader would stumble on it.
  if (loss === undefined || !Number.isFinite(loss)) {
    throw new TrainingError('NON_FINITE_LOSS', `test loss is ${loss ?? 'missing'}: the model diverged (a lower learning rate may help)`);
  }
  const outputs = predictX(net, preprocessor, test.x);
  const classNames = preprocessor.state.classNames;
  if (!classNames) {
    const m = regressionMetrics(test.truth, outputs);
    return {
      testMetrics: { loss, mae: m.mae, mse: m.mse, rmse: m.rmse, r2: m.r2 },
      evaluation: { kind: 'regression', ...m },
      outputs,
    };
  }
  const truth = test.truth.map((row) => row[0] ?? 0);
  const predicted = outputs.map(argmax);
  const m = classificationMetrics(truth, predicted, classNames.length);
  return {
    testMetrics: { loss, accuracy: m.accuracy, macro_f1: m.macroF1 },
    evaluation: { kind: 'classification', classNames, ...m },
    outputs,
  };
}

/**
 * Rows of a part with truth and prediction side by side, like the notebook's DataFrame: the
 * first SAMPLE_ROWS of a table. For images (`imageRow`: the values of one image), as many as
 * SAMPLE_PIXELS allows, misclassified first, so a grid of test images shows the mistakes;
 * `outputs` are the part's predictions when they were made already.
 */
export function sampleRows(net: Network, preprocessor: Preprocessor, part: DataPart, options: { outputs?: number[][]; imageRow?: number } = {}): Sample[] {
  const classNames = preprocessor.state.classNames;
  const images = options.imageRow !== undefined && classNames !== undefined;
  const limit = images ? Math.min(SAMPLE_ROWS, Math.max(MIN_IMAGE_SAMPLES, Math.floor(SAMPLE_PIXELS / Math.max(1, options.imageRow ?? 1)))) : SAMPLE_ROWS;
  // Images: every row is a candidate (the mistakes come first); a table: its first rows.
  const candidates = images ? part.raw.length : Math.min(limit, part.raw.length);
  const outputs = options.outputs ?? predictX(net, preprocessor, part.x.slice(0, candidates));
  const outputOf = (i: number): number[] => outputs[i] ?? [];
  let rows = Array.from({ length: candidates }, (_, i) => i);
  if (images) {
    const wrong = (i: number): boolean => argmax(outputOf(i)) !== (part.truth[i]?.[0] ?? -1);
    rows = [...rows.filter(wrong), ...rows.filter((i) => !wrong(i))].slice(0, limit);
  }
  return rows.map((i) => {
    const input = Array.from(part.raw[i] ?? []);
    const truth = part.truth[i] ?? [];
    const output = outputOf(i);
    if (!classNames) return { input, truth, predicted: output };
    return { input, truth: classNames[truth[0] ?? 0] ?? '?', predicted: classNames[argmax(output)] ?? '?' };
  });
}

/** Predictions for raw rows (the definition's `predict`, the API's predict): numbers, texts, null or '' for missing. */
export function predictRows(net: Network, preprocessor: Preprocessor, rows: Cell[][]): Prediction[] {
  const outputs = predictX(net, preprocessor, preprocessor.transformX(rows));
  const classNames = preprocessor.state.classNames;
  return rows.map((input, i) => {
    const output = outputs[i] ?? [];
    return classNames ? { input, output, label: classNames[argmax(output)] ?? '?' } : { input, output };
  });
}
