import type { CompileSpec, LossName, MetricName } from './compile-spec.js';
import { TrainingError } from './training-error.js';

const LOSSES: ReadonlySet<string> = new Set<LossName>([
  'mse',
  'mae',
  'huber',
  'binary_crossentropy',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
]);
const METRICS: ReadonlySet<string> = new Set<MetricName>(['mae', 'mse', 'accuracy']);

/**
 * Checks what the types cannot: a compile spec also arrives from JSON (stored runs, loaded
 * model.json). `outputUnits`/`lastLayer` check the loss against the model's output.
 */
export function checkCompileSpec(compile: CompileSpec, outputUnits: number, lastLayer: number): void {
  if (typeof compile !== 'object' || compile === null) {
    throw new TrainingError('INVALID_SPEC', 'compile spec must be an object');
  }
  if (!LOSSES.has(compile.loss)) {
    throw new TrainingError('INVALID_SPEC', `unknown loss '${String(compile.loss)}'; expected one of ${[...LOSSES].join(', ')}`);
  }
  if (!Array.isArray(compile.metrics)) throw new TrainingError('INVALID_SPEC', 'metrics must be a list');
  const seen = new Set<string>();
  for (const metric of compile.metrics) {
    if (!METRICS.has(metric)) {
      throw new TrainingError('INVALID_SPEC', `unknown metric '${String(metric)}'; expected one of ${[...METRICS].join(', ')}`);
    }
    // Keras would report the same key twice; one value per key is all a log can hold.
    if (seen.has(metric)) throw new TrainingError('INVALID_SPEC', `metric '${metric}' is listed twice`);
    seen.add(metric);
  }
  const categorical = compile.loss === 'categorical_crossentropy' || compile.loss === 'sparse_categorical_crossentropy';
  if (categorical && outputUnits < 2) {
    throw new TrainingError(
      'INVALID_SPEC',
      `layer ${lastLayer}: ${compile.loss} needs at least 2 output units (one per class), got ${outputUnits}; use binary_crossentropy for two classes with one unit`,
    );
  }
}
