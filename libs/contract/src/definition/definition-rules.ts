import { splitSizes } from '@trainyard/data/splits';
import type { DefinitionIssue } from './definition-error.js';
import type { DatasetFacts } from './dataset-facts.js';
import type { ExperimentDefinition } from './experiment-definition.schema.js';
import { checkLayers } from './layer-rules.js';

const REGRESSION_LOSSES = new Set(['mse', 'mae', 'huber']);

/**
 * Checks that need more than one field: the loss against the task, the output layer
 * against the targets or classes, `predict` rows against the features. They run before a
 * definition is accepted (with the built-in datasets' known shapes) and again once the
 * data is loaded (with the real shapes, which is what catches CSV files).
 */
export function checkDefinition(def: ExperimentDefinition, facts: DatasetFacts): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const classification = facts.task === 'classification';

  if (classification === REGRESSION_LOSSES.has(def.loss)) {
    const allowed = classification
      ? 'binary_crossentropy, categorical_crossentropy or sparse_categorical_crossentropy'
      : 'mse, mae or huber';
    add('loss', `"${def.loss}" does not fit a ${facts.task} dataset; use ${allowed}`);
  }
  def.metrics.forEach((metric, i) => {
    if (metric === 'accuracy' && !classification) add(`metrics[${i}]`, 'accuracy needs a classification dataset; use mae or mse');
  });
  if (classification && def.preprocessing.target !== 'none') {
    add('preprocessing.target', 'must be "none" for a classification dataset (class labels are not scaled)');
  }
  if (def.split.stratify && !classification) add('split.stratify', 'needs a classification dataset');
  if (def.preprocessing.features === 'pixels' && facts.pixelMax === undefined) {
    add('preprocessing.features', `"pixels" divides by an image dataset's pixel maximum (digits, mnist, fashion_mnist); ${def.dataset.name} has none: use minmax or standard`);
  }
  if (facts.testRows !== undefined) {
    // Like Keras' load_data(): the dataset's own test part; the split only carves validation from the rest.
    if (def.split.test !== DEFAULT_TEST) {
      add('split.test', `${def.dataset.name} has its own test set of 10,000 images (1,000 in the sample); leave split.test out`);
    }
    if (facts.rows !== undefined) checkSplitFits(def, facts.rows - facts.testRows, add, 0);
  } else if (facts.rows !== undefined) {
    checkSplitFits(def, facts.rows, add);
  }

  checkLayers(def, facts, add);
  checkOutputLayer(def, facts, add);

  if (def.predict && facts.features !== undefined) {
    def.predict.forEach((row, i) => {
      if (row.length !== facts.features) add(`predict[${i}]`, `must have ${facts.features} values (one per feature), got ${row.length}`);
    });
  }
  if (def.earlyStopping?.monitor?.startsWith('val_') && def.split.validation === 0) {
    add('earlyStopping.monitor', `"${def.earlyStopping.monitor}" needs a validation part (split.validation > 0)`);
  }
  return issues;
}

/** The split's default test part (see splitSchema); a dataset with its own test set takes only this. */
const DEFAULT_TEST = 0.2;

/** The split must leave a training row of the dataset's rows (checked before a run is queued). */
function checkSplitFits(def: ExperimentDefinition, rows: number, add: (path: string, message: string) => void, test = def.split.test): void {
  try {
    splitSizes(rows, { ...def.split, test });
  } catch (error) {
    // "split.test asks for 100 rows but only 7 are available" -> that field, that message.
    const message = error instanceof Error ? error.message : String(error);
    const field = /^split\.(\w+) (.*)$/.exec(message);
    if (field?.[1] && field[2]) add(`split.${field[1]}`, field[2]);
    else add('split', message);
  }
}

function checkOutputLayer(
  def: ExperimentDefinition,
  facts: DatasetFacts,
  add: (path: string, message: string) => void,
): void {
  const layers = def.model.layers;
  const index = layers.length - 1;
  const last = layers[index];
  if (!last || last.type !== 'dense') {
    add(`model.layers[${index}].type`, 'the last layer must be "dense" (it produces the outputs)');
    return;
  }
  const at = `model.layers[${index}]`;
  if (def.loss === 'binary_crossentropy') {
    if (facts.classes !== undefined && facts.classes !== 2) add('loss', `binary_crossentropy needs 2 classes, the dataset has ${facts.classes}`);
    if (last.units !== 1) add(`${at}.units`, 'must be 1 for binary_crossentropy');
    if (last.activation !== 'sigmoid') add(`${at}.activation`, 'must be "sigmoid" for binary_crossentropy (outputs are probabilities)');
  } else if (def.loss === 'categorical_crossentropy' || def.loss === 'sparse_categorical_crossentropy') {
    if (facts.classes !== undefined && last.units !== facts.classes) {
      add(`${at}.units`, `must be ${facts.classes}, one per class of the dataset`);
    }
    if (last.activation !== 'softmax') add(`${at}.activation`, `must be "softmax" for ${def.loss} (outputs are probabilities)`);
  } else if (last.units !== facts.targets) {
    add(`${at}.units`, `must be ${facts.targets}, one per target column`);
  }
}
