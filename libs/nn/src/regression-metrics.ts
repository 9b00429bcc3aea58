import { TrainingError } from './training-error.js';

/**
 * MAE, MSE, RMSE and R² like scikit-learn with multioutput='uniform_average': each is
 * computed per output column, then averaged over columns (so RMSE is the mean of the
 * per-column roots). Pure JavaScript in float64.
 */
export function regressionMetrics(yTrue: number[][], yPred: number[][]): { mae: number; mse: number; rmse: number; r2: number } {
  const n = yTrue.length;
  if (n === 0 || yPred.length !== n) {
    throw new TrainingError('SHAPE_MISMATCH', `regressionMetrics: ${n} true rows and ${yPred.length} predicted rows`);
  }
  const outputs = yTrue[0]?.length ?? 0;
  let mae = 0;
  let mse = 0;
  let rmse = 0;
  let r2 = 0;
  for (let j = 0; j < outputs; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += value(yTrue, i, j, outputs, 'true');
    mean /= n;
    let absolute = 0;
    let residual = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const t = value(yTrue, i, j, outputs, 'true');
      const error = t - value(yPred, i, j, outputs, 'predicted');
      absolute += Math.abs(error);
      residual += error * error;
      total += (t - mean) * (t - mean);
    }
    mae += absolute / n;
    mse += residual / n;
    rmse += Math.sqrt(residual / n);
    // scikit-learn's force_finite: a constant target scores 1 when predicted exactly, else 0.
    r2 += total === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / total;
  }
  const k = Math.max(outputs, 1);
  return { mae: mae / k, mse: mse / k, rmse: rmse / k, r2: r2 / k };
}

function value(rows: number[][], i: number, j: number, outputs: number, which: string): number {
  const row = rows[i];
  if (!row || row.length !== outputs) {
    throw new TrainingError('SHAPE_MISMATCH', `regressionMetrics: ${which} row ${i} has ${row?.length ?? 0} values, expected ${outputs}`);
  }
  return row[j] as number;
}
