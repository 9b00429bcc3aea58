import type { Cell, Preprocessor } from '@trainyard/data';
import { classificationMetrics, regressionMetrics, type Network } from '@trainyard/nn';
import type { DataPart } from './prepare-data.js';
import type { Evaluation, Prediction, Sample } from './run-events.js';

/** How many held-out rows a run keeps with their predictions (enough for a predicted-vs-true chart). */
export const SAMPLE_ROWS = 500;

/**
 * The model's answer for raw input rows, in the target's own units: regression values
 * through the inverse target scaling, or class probabilities for classification.
 */
function predictRaw(net: Network, preprocessor: Preprocessor, raw: Cell[][]): number[][] {
  const out = net.predict(preprocessor.transformX(raw));
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
}

/**
 * Test metrics on the held-out part: the loss as Keras' evaluate reports it, then
 * MAE/MSE/RMSE/R² in the target's units, or accuracy, macro F1 and the confusion matrix.
 */
export function evaluateTestPart(net: Network, preprocessor: Preprocessor, test: DataPart): TestEvaluation {
  const { loss } = net.evaluate(test.x, test.y);
  const outputs = predictRaw(net, preprocessor, test.raw);
  const classNames = preprocessor.state.classNames;
  if (!classNames) {
    const m = regressionMetrics(test.truth, outputs);
    return {
      testMetrics: { loss: loss ?? Number.NaN, mae: m.mae, mse: m.mse, rmse: m.rmse, r2: m.r2 },
      evaluation: { kind: 'regression', ...m },
    };
  }
  const truth = test.truth.map((row) => row[0] ?? 0);
  const predicted = outputs.map(argmax);
  const m = classificationMetrics(truth, predicted, classNames.length);
  return {
    testMetrics: { loss: loss ?? Number.NaN, accuracy: m.accuracy, macro_f1: m.macroF1 },
    evaluation: { kind: 'classification', classNames, ...m },
  };
}

/** The first rows of a part with truth and prediction side by side, like the notebook's DataFrame. */
export function sampleRows(net: Network, preprocessor: Preprocessor, part: DataPart, limit = SAMPLE_ROWS): Sample[] {
  const raw = part.raw.slice(0, limit);
  const outputs = predictRaw(net, preprocessor, raw);
  const classNames = preprocessor.state.classNames;
  return raw.map((input, i) => {
    const truth = part.truth[i] ?? [];
    const output = outputs[i] ?? [];
    if (!classNames) return { input, truth, predicted: output };
    return { input, truth: classNames[truth[0] ?? 0] ?? '?', predicted: classNames[argmax(output)] ?? '?' };
  });
}

/** Predictions for raw rows (the definition's `predict`, the API's predict): numbers, texts, null or '' for missing. */
export function predictRows(net: Network, preprocessor: Preprocessor, rows: Cell[][]): Prediction[] {
  const outputs = predictRaw(net, preprocessor, rows);
  const classNames = preprocessor.state.classNames;
  return rows.map((input, i) => {
    const output = outputs[i] ?? [];
    return classNames ? { input, output, label: classNames[argmax(output)] ?? '?' } : { input, output };
  });
}
