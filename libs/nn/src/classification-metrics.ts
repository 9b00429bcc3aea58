import { TrainingError } from './training-error.js';

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  /** Number of samples whose true class this is. */
  support: number;
}

/**
 * Accuracy, macro F1, confusion matrix (rows true class, columns predicted) and per-class
 * precision/recall/F1 like scikit-learn with zero_division=0: a ratio whose denominator is 0
 * is 0, not NaN. Macro F1 averages over all numClasses classes, present or not.
 */
export function classificationMetrics(
  trueIdx: number[],
  predIdx: number[],
  numClasses: number,
): { accuracy: number; macroF1: number; confusionMatrix: number[][]; perClass: ClassReport[] } {
  if (trueIdx.length !== predIdx.length) {
    throw new TrainingError('SHAPE_MISMATCH', `classificationMetrics: ${trueIdx.length} true and ${predIdx.length} predicted labels`);
  }
  if (!(Number.isInteger(numClasses) && numClasses >= 1)) {
    throw new TrainingError('SHAPE_MISMATCH', `classificationMetrics: numClasses must be a positive integer, got ${numClasses}`);
  }
  const confusionMatrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  trueIdx.forEach((t, i) => {
    const p = predIdx[i] as number;
    for (const label of [t, p]) {
      if (!(Number.isInteger(label) && label >= 0 && label < numClasses)) {
        throw new TrainingError('SHAPE_MISMATCH', `classificationMetrics: label ${label} at ${i} is not in [0, ${numClasses - 1}]`);
      }
    }
    (confusionMatrix[t] as number[])[p] = ((confusionMatrix[t] as number[])[p] as number) + 1;
    if (t === p) correct++;
  });
  const perClass = confusionMatrix.map((row, c) => {
    const tp = row[c] as number;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusionMatrix.reduce((sum, r) => sum + (r[c] as number), 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  return {
    accuracy: ratio(correct, trueIdx.length),
    macroF1: perClass.reduce((sum, c) => sum + c.f1, 0) / numClasses,
    confusionMatrix,
    perClass,
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
