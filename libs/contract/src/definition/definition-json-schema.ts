import { z } from 'zod';
import { isSweepInput, sweepSchema } from '../sweeps/sweep.schema.js';
import { experimentDefinitionSchema, lossSchema, metricSchema } from './experiment-definition.schema.js';

/*
 * JSON Schema of what POST /api/experiments takes (a definition or a sweep), generated from the
 * contract's zod schemas, for editors: completion, hover help and lint as the user types. The
 * server still parses with zod (cross-field rules, sweeps expanded per trial): this schema only
 * has to accept everything the server accepts field by field and explain each field.
 *
 * Draft 4, the dialect the web editor's validator (json-schema-library's Draft04) speaks: zod
 * writes `exclusiveMinimum: true` beside `minimum`, `enum: [x]` for a literal, tuples as `items: []`.
 * `io: 'input'`: fields with a default are optional, as a user writes them.
 */

/** A JSON Schema node (plain JSON). */
export type JsonSchema = { [key: string]: unknown };

/**
 * Help shown on hover and beside completions, by field path: `a.b` for a field, `[]` for the
 * items of a list. The definition's fields only carry doc comments in the schema file; the text
 * here says the same for a user. A path that no longer exists is caught by this file's spec.
 */
export const DEFINITION_FIELD_HELP: Readonly<Record<string, string>> = {
  name: 'Name of the run, shown in the runs table (a sweep names its trials after it).',
  description: 'Free text kept with the run.',
  seed: 'Seeds every random draw of a run: data generation, split, initial weights, dropout, shuffles. Left out, a seed is drawn and reported.',
  dataset: 'What to train on: a built-in dataset (multiply, sum, california_housing, iris, digits, mnist, fashion_mnist), a registered table or folder of images (`trainyard dataset add`) or a CSV file (`trainyard train` only).',
  'dataset.name': 'multiply, sum, california_housing, iris, digits, mnist, fashion_mnist, csv (a local file, `trainyard train` only), or a registered dataset (a table or a folder of images): `name` (its latest version) or `name@version`.',
  'dataset.as': 'digits, mnist, fashion_mnist: `images` (height x width x 1, for conv2d) or `features` (one flat row of pixels). digits defaults to features, mnist and fashion_mnist to images.',
  'dataset.sample': 'mnist, fashion_mnist: `true` reads the sample that ships with trainyard (6,000 training and 1,000 test images) instead of Keras\' full files.',
  'dataset.image': 'A registered folder of images: the size every image is resized to, {"height", "width", "channels"} (channels 1: grayscale, 3: RGB).',
  'dataset.n': 'Rows of the sum dataset (pairs of integers 1..9 and their sum).',
  'dataset.path': 'CSV file with a header row, relative to the definition file (`trainyard train` only; `trainyard submit` uploads it).',
  'dataset.target': 'Target column name, or a list of names.',
  'dataset.features': 'Feature columns; all other columns when left out.',
  'dataset.task': 'regression (numbers) or classification (classes).',
  'dataset.version': 'Version of the registered dataset; pinned at submission when left out.',
  'dataset.sha256': "The registered version's content hash; pinned at submission, must match when given.",
  preprocessing: 'Scaling and encoding, fitted on the training part only.',
  'preprocessing.features': 'Scaling of the number columns: none, minmax (to 0..1), standard (mean 0, std 1), or pixels (images: divided by 255, 16 for digits; nothing fitted). One-hot columns stay 0/1.',
  'preprocessing.target': 'Scaling of a regression target: none, minmax or standard (predictions are scaled back).',
  'preprocessing.columns': 'Per column of a table, what differs from the defaults: missing numbers get the median, categories and booleans are one-hot encoded.',
  split: 'How rows are split into training, validation and test parts.',
  'split.test': "Held-out test part: a fraction of all rows below 1 (scikit-learn's test_size), or a whole number of rows; 0 for none. mnist and fashion_mnist use their own test set.",
  'split.validation': "Validation part: a fraction of what the test part leaves (Keras' validation_split), or a number of rows; 0 for none.",
  'split.stratify': 'Keep class proportions in every part (classification only).',
  model: 'The network: layers in order, input to output.',
  'model.layers': "Layers in order; the last one's units match the targets (regression) or the classes (classification).",
  'model.layers[].type': 'Kind of layer: dense, dropout, batchNormalization, flatten, ...',
  'model.layers[].units': 'Number of neurons (outputs) of the layer.',
  'model.layers[].activation': 'Activation function applied to the outputs (linear when left out); softmax for class probabilities.',
  'model.layers[].useBias': 'Whether the layer adds a bias term.',
  'model.layers[].kernelInitializer': 'How the weights start (seeded).',
  'model.layers[].biasInitializer': 'How the biases start (seeded).',
  'model.layers[].kernelRegularizer': 'Penalty on the weights added to the loss: {"l1": ..., "l2": ...}.',
  'model.layers[].biasRegularizer': 'Penalty on the biases added to the loss: {"l1": ..., "l2": ...}.',
  'model.layers[].rate': 'Fraction of the inputs set to 0 during training, from 0 up to (not including) 1.',
  'model.layers[].momentum': 'Momentum of the moving mean and variance.',
  'model.layers[].epsilon': 'Small number added to the variance to avoid dividing by zero.',
  'model.layers[].filters': 'conv2d: number of filters (output channels).',
  'model.layers[].kernelSize': 'conv2d: the window, one number for a square or [height, width].',
  'model.layers[].strides': 'conv2d and pooling: the step between windows, one number or [height, width].',
  'model.layers[].padding': '`valid` (no padding: the output shrinks) or `same` (zeros around: the output keeps the size at stride 1).',
  'model.layers[].poolSize': 'maxPooling2d, averagePooling2d: the window, one number or [height, width] (2 when left out).',
  'model.layers[].targetShape': 'reshape: the new shape of one sample, e.g. [8, 8, 1].',
  'model.layers[].mode': 'randomFlip: horizontal, vertical or horizontal_and_vertical (training only, seeded).',
  'model.layers[].heightFactor':
    'randomTranslation: the largest shift up or down, as a fraction of the height; randomZoom: the largest change of scale either side of 1, 0.2 for 0.8..1.2 (training only, seeded).',
  'model.layers[].widthFactor':
    "randomTranslation: the largest shift left or right, as a fraction of the width; randomZoom: the width's own change of scale, the height's when left out (training only, seeded).",
  'model.layers[].factor': 'randomRotation: the largest turn either way, as a fraction of a full turn: 0.1 for up to 36 degrees (training only, seeded).',
  optimizer: 'How weights are updated: {"name": "sgd" | "adam" | "rmsprop" | "adagrad", "learningRate": ...}, or just the name for its Keras defaults.',
  'optimizer.name': 'sgd, adam, rmsprop or adagrad.',
  'optimizer.learningRate': 'Step size of each update: above 0, at most 10 (Keras defaults: sgd and adagrad 0.01, adam and rmsprop 0.001).',
  'optimizer.momentum': 'Momentum, 0..1 (0 = none).',
  'optimizer.nesterov': 'Use Nesterov momentum (sgd).',
  'optimizer.beta1': 'Decay of the first moment estimates (adam).',
  'optimizer.beta2': 'Decay of the second moment estimates (adam).',
  'optimizer.epsilon': 'Small number added to avoid dividing by zero.',
  'optimizer.rho': 'Decay of the moving average of squared gradients (rmsprop).',
  'optimizer.initialAccumulatorValue': 'Starting value of the accumulators (adagrad).',
  loss: 'What training minimizes: mse, mae or huber for regression; binary_crossentropy, categorical_crossentropy or sparse_categorical_crossentropy for classes.',
  metrics: 'Extra figures reported per epoch and on the test part: mae, mse, accuracy (at most 3).',
  epochs: 'Passes over the training part.',
  batchSize: 'Rows per weight update (32 when left out).',
  earlyStopping: "Stop when a monitored figure stops improving (Keras' EarlyStopping).",
  'earlyStopping.monitor': 'Figure to watch, such as val_loss or loss.',
  'earlyStopping.patience': 'Epochs without improvement before stopping.',
  'earlyStopping.minDelta': 'Smallest change that counts as an improvement.',
  'earlyStopping.mode': 'auto, min or max: whether lower or higher is better (auto guesses from the name).',
  'earlyStopping.restoreBestWeights': 'Keep the weights of the best epoch instead of the last.',
  timeLimitSeconds: 'Wall-clock limit of one run in seconds: past it the run fails (TIME_LIMIT). A server has its own maximum, which also applies when this is left out.',
  predict: 'Raw (unscaled) input rows to predict after training, one list of feature values per row.',
};

/** Help for a sweep's own fields; its `base` takes the definition's help. */
export const SWEEP_FIELD_HELP: Readonly<Record<string, string>> = {
  name: 'Name of the sweep; its runs are named after it.',
  description: 'Free text kept with the sweep.',
  base: 'The definition every trial starts from; grid and random set fields of it per trial.',
  grid: 'Every combination of these values: field path -> list, such as "optimizer.learningRate": [0.001, 0.01].',
  random: 'Random search: `trials` configurations drawn from `params` with its own seed.',
  'random.params': 'Field path -> distribution: {"uniform": [a, b]}, {"logUniform": [a, b]}, {"int": [a, b]} or {"choice": [...]}.',
  'random.trials': 'How many configurations to draw.',
  'random.seed': 'Seed of the draws (0 when left out).',
  repeats: 'Runs per configuration, with seeds base seed, base seed + 1, ...',
};

/*
 * Long Keras names the contract also takes for a loss or a metric (it reads them as the short
 * ones). Only those the contract's own schema accepts are added to the editor's lists.
 */
const KERAS_LONG_NAMES = ['mean_squared_error', 'mean_absolute_error', 'huber_loss', 'acc'];

function toDraft4(schema: z.ZodType): JsonSchema {
  // `unrepresentable: 'any'`: a refine or transform is described by its input (zod checks the rest).
  return z.toJSONSchema(schema, { io: 'input', target: 'draft-04', unrepresentable: 'any' }) as JsonSchema;
}

function isNode(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `description` on every node reached by a path of `help` (in every branch of a union). */
function describe(node: JsonSchema, help: Readonly<Record<string, string>>, path: string): void {
  if (isNode(node.properties)) {
    for (const [key, child] of Object.entries(node.properties)) {
      if (!isNode(child)) continue;
      const at = path ? `${path}.${key}` : key;
      const text = help[at];
      if (text !== undefined && child.description === undefined) child.description = text;
      describe(child, help, at);
    }
  }
  for (const union of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[union];
    if (Array.isArray(branches)) for (const branch of branches) if (isNode(branch)) describe(branch, help, path);
  }
  if (isNode(node.items)) describe(node.items, help, `${path}[]`);
}

/** The name each branch of a discriminated union (`{name: {enum: ['sgd']}}`) stands for. */
function branchNames(branches: unknown[]): string[] {
  return branches.flatMap((branch) => {
    const name = isNode(branch) && isNode(branch.properties) ? branch.properties.name : undefined;
    return isNode(name) && Array.isArray(name.enum) ? name.enum.filter((value): value is string => typeof value === 'string') : [];
  });
}

/** Adds to a string enum the long Keras names that `accepts` takes. */
function withLongNames(node: unknown, accepts: z.ZodType): void {
  if (!isNode(node) || !Array.isArray(node.enum)) return;
  const extra = KERAS_LONG_NAMES.filter((name) => !(node.enum as unknown[]).includes(name) && accepts.safeParse(name).success);
  node.enum = [...node.enum, ...extra];
}

/*
 * What zod's preprocessors accept besides their target schema, which JSON Schema cannot see
 * from the zod schema: `optimizer: "adam"` (a name alone) and Keras' long loss and metric names.
 */
function addPreprocessedForms(definition: JsonSchema): void {
  const properties = definition.properties as Record<string, JsonSchema>;
  const optimizer = properties.optimizer;
  if (optimizer && Array.isArray(optimizer.oneOf)) {
    optimizer.oneOf = [{ type: 'string', enum: branchNames(optimizer.oneOf), description: 'The optimizer by name alone, with its Keras defaults.' }, ...optimizer.oneOf];
  }
  withLongNames(properties.loss, lossSchema);
  const metrics = properties.metrics;
  if (metrics) withLongNames(metrics.items, metricSchema);
}

let definitionCache: JsonSchema | undefined;
let sweepCache: JsonSchema | undefined;

/** JSON Schema (draft 4) of one experiment definition, with help on every main field. */
export function definitionJsonSchema(): JsonSchema {
  if (!definitionCache) {
    const schema = toDraft4(experimentDefinitionSchema);
    addPreprocessedForms(schema);
    describe(schema, DEFINITION_FIELD_HELP, '');
    definitionCache = { ...schema, title: 'experiment definition' };
  }
  return structuredClone(definitionCache);
}

/**
 * JSON Schema (draft 4) of a sweep. Its `base` is described as a definition whose fields are
 * all optional: a trial's grid or random values may supply what the base leaves out (the server
 * checks every trial in full).
 */
export function sweepJsonSchema(): JsonSchema {
  if (!sweepCache) {
    const schema = toDraft4(sweepSchema);
    const { $schema: _dialect, required: _required, title: _title, ...base } = definitionJsonSchema();
    (schema.properties as Record<string, JsonSchema>).base = base;
    describe(schema, SWEEP_FIELD_HELP, '');
    sweepCache = { ...schema, title: 'sweep' };
  }
  return structuredClone(sweepCache);
}

/** The schema that applies to `input` as POST /api/experiments reads it: a sweep when it has a `base`, else a definition. */
export function submissionJsonSchema(input: unknown): JsonSchema {
  return isSweepInput(input) ? sweepJsonSchema() : definitionJsonSchema();
}
