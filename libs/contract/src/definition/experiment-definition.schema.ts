import { z } from 'zod';
import { BUILT_IN_DATASET_NAMES, DATASET_NAME_RULE, DATASET_REF_PATTERN, isBuiltInDatasetName, parseDatasetRef, SHA256_PATTERN } from '../datasets/dataset-ref.js';
import { imageSizeSchema } from '../datasets/image-profile.schema.js';
import { cellSchema, columnOptionsSchema } from '../datasets/table-profile.schema.js';
import { safeText } from './safe-text.js';

/*
 * The experiment definition: everything one run needs, as plain JSON.
 * Names follow Keras (units, activation, learningRate, batchSize, loss and metric names).
 * Limits are there so that a typo cannot occupy a worker for a day.
 */
export const LIMITS = {
  epochs: 10_000,
  batchSize: 65_536,
  layers: 32,
  units: 4_096,
  filters: 1_024,
  /** A convolution or pooling window, or a stride, along one axis. */
  window: 256,
  sumRows: 1_000_000,
  predictRows: 1_000,
  nameLength: 200,
  /** A week: the definition's own wall-clock limit can be at most this (a server may allow less). */
  timeLimitSeconds: 7 * 24 * 3600,
} as const;

const count = z.number().int().min(1);
const fraction = z.number().min(0);

/** What a table dataset (a registered one, or a CSV file for `trainyard train`) takes besides its source. */
const tableFields = {
  /** Target column name(s). */
  target: z.union([safeText().min(1), z.array(safeText().min(1)).min(1)]),
  /** Feature columns; all other columns when omitted. */
  features: z.array(safeText().min(1)).min(1).optional(),
  task: z.enum(['regression', 'classification']).default('regression'),
};

const csvDataset = z.strictObject({
  name: z.literal('csv'),
  /**
   * Path of a CSV file with a header row, on the machine that trains: `trainyard train` only
   * (resolved against the definition file's folder). `trainyard submit` uploads it and writes
   * the registered dataset instead; a server refuses it.
   */
  path: safeText().min(1),
  ...tableFields,
});

/**
 * A registered dataset (`trainyard dataset add`): `name` is `housing` (the latest version at
 * submission) or `housing@2`. The submission pins `version` and `sha256` on the stored
 * definition; given by the user, they must match the registry. A table takes `target` (and
 * `features`, `task`); a folder of images takes `image`, the size its images are resized to
 * (its classes are its folders). Which one it is, the submission checks against the registry.
 */
const registeredDataset = z
  .strictObject({
    name: z.string().regex(DATASET_REF_PATTERN, `must be a built-in dataset (${BUILT_IN_DATASET_NAMES.join(', ')}) or a registered one: name or name@version, ${DATASET_NAME_RULE}`),
    version: z.number().int().min(1).optional(),
    sha256: z.string().regex(SHA256_PATTERN, 'must be 64 lowercase hex digits').optional(),
    ...tableFields,
    target: tableFields.target.optional(),
    image: imageSizeSchema.optional(),
  })
  .refine((spec) => !isBuiltInDatasetName(spec.name), { path: ['name'], message: 'is a built-in dataset, which takes no target or features' })
  .refine((spec) => spec.target !== undefined || spec.image !== undefined, {
    path: ['target'],
    message: 'is required: the column to predict (a folder of images takes "image": {"height", "width", "channels"} instead)',
  })
  .transform((spec) => {
    // `housing@2` is kept as {name: 'housing', version: 2}.
    const ref = parseDatasetRef(spec.name);
    if (!ref || ref.version === undefined) return spec;
    if (spec.version !== undefined && spec.version !== ref.version) return spec; // refused by definition-rules
    return { ...spec, name: ref.name, version: ref.version };
  });

/**
 * MNIST or Fashion-MNIST: 28x28x1 images (or 784 features with `as: 'features'`), 10 classes,
 * with their official test set as the test part. `sample: true` is the small sample that ships
 * with trainyard (6,000 training and 1,000 test images); without it, Keras' full files
 * (60,000 + 10,000), downloaded and cached.
 */
function mnistLike<Name extends 'mnist' | 'fashion_mnist'>(name: Name) {
  return z.strictObject({ name: z.literal(name), as: z.enum(['images', 'features']).optional(), sample: z.boolean().optional() });
}

const builtInDataset = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('multiply') }),
  z.strictObject({ name: z.literal('sum'), n: count.max(LIMITS.sumRows).optional() }),
  z.strictObject({ name: z.literal('california_housing') }),
  z.strictObject({ name: z.literal('iris') }),
  /** `as: 'images'` reads each digit as an 8x8x1 image; 64 features otherwise. */
  z.strictObject({ name: z.literal('digits'), as: z.enum(['features', 'images']).optional() }),
  mnistLike('mnist'),
  mnistLike('fashion_mnist'),
  csvDataset,
]);

/** A built-in dataset, a CSV file (`trainyard train` only) or a registered dataset. */
export const datasetSchema = z.union([builtInDataset, registeredDataset]);
export type RegisteredDatasetDefinition = z.output<typeof registeredDataset>;

/** Is this dataset of a definition a registered one (not built in, not a local CSV file)? */
export function isRegisteredDataset(spec: z.output<typeof datasetSchema>): spec is RegisteredDatasetDefinition {
  return !isBuiltInDatasetName(spec.name);
}

const scaler = z.enum(['none', 'minmax', 'standard']);
/** `pixels`: x / the image dataset's pixel maximum (255 for mnist, 16 for digits), nothing fitted. */
const featureScaler = z.enum(['none', 'minmax', 'standard', 'pixels']);

export const preprocessingSchema = z.strictObject({
  /** Scaling of the number columns (one-hot columns are left as 0/1). */
  features: featureScaler.default('none'),
  target: scaler.default('none'),
  /**
   * Per column of a table, what differs from the defaults: numbers' missing cells get the
   * training part's median, categories and booleans are one-hot encoded with missing as a
   * category of its own.
   */
  columns: z.record(safeText().min(1).max(200), columnOptionsSchema).optional(),
});

/** 0 = no such part; a value below 1 is a fraction; a whole number from 1 up is a row count. */
const partSize = fraction.refine((v) => v < 1 || Number.isInteger(v), {
  message: 'must be a fraction below 1 or a whole number of rows',
});

export const splitSchema = z.strictObject({
  /** Held-out test part, a fraction of all rows (scikit-learn's test_size). */
  test: partSize.default(0.2),
  /** Validation part, a fraction of what the test part leaves (Keras' validation_split). */
  validation: partSize.default(0),
  /** Keep class proportions in every part (classification only). */
  stratify: z.boolean().default(false),
});

const activation = z.enum([
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hard_sigmoid',
  'softmax', 'softplus', 'softsign', 'tanh', 'swish', 'gelu',
]);
const initializer = z.enum([
  'glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal',
  'zeros', 'ones', 'random_uniform', 'random_normal', 'truncated_normal',
]);
const regularizer = z.strictObject({ l1: fraction.optional(), l2: fraction.optional() });
const windowSide = z.number().int().min(1).max(LIMITS.window);
/** One number for both axes, or [height, width] (Keras' kernel_size, pool_size, strides). */
const size2d = z.union([windowSide, z.tuple([windowSide, windowSide])]);
const padding = z.enum(['valid', 'same']);
const pooling = <Type extends 'maxPooling2d' | 'averagePooling2d'>(type: Type) =>
  z.strictObject({
    type: z.literal(type),
    poolSize: size2d.default(2),
    /** Default: poolSize. */
    strides: size2d.optional(),
    padding: padding.default('valid'),
  });

/** What the layers with weights (dense, conv2d) take besides their size. */
const weightedFields = {
  activation: activation.default('linear'),
  useBias: z.boolean().default(true),
  kernelInitializer: initializer.optional(),
  biasInitializer: initializer.optional(),
  kernelRegularizer: regularizer.optional(),
  biasRegularizer: regularizer.optional(),
};

export const layerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dense'), units: count.max(LIMITS.units), ...weightedFields }),
  z.strictObject({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) }),
  z.strictObject({
    type: z.literal('batchNormalization'),
    momentum: z.number().min(0).max(1).optional(),
    epsilon: z.number().positive().optional(),
  }),
  z.strictObject({ type: z.literal('flatten') }),
  z.strictObject({
    type: z.literal('conv2d'),
    filters: count.max(LIMITS.filters),
    kernelSize: size2d,
    strides: size2d.default(1),
    padding: padding.default('valid'),
    ...weightedFields,
  }),
  pooling('maxPooling2d'),
  pooling('averagePooling2d'),
  z.strictObject({ type: z.literal('globalAveragePooling2d') }),
  z.strictObject({ type: z.literal('reshape'), targetShape: z.array(count).min(1).max(3) }),
  /** Training only: flips each image along the axes `mode` names with probability 1/2 (seeded). */
  z.strictObject({
    type: z.literal('randomFlip'),
    mode: z.enum(['horizontal', 'vertical', 'horizontal_and_vertical']).default('horizontal_and_vertical'),
  }),
  /** Training only: moves each image by whole pixels, up to factor x size each way, zeros filling in (seeded). */
  z.strictObject({
    type: z.literal('randomTranslation'),
    heightFactor: z.number().min(0).max(1),
    widthFactor: z.number().min(0).max(1),
    fillMode: z.literal('constant').optional(),
  }),
  /** Training only: turns each image about its centre by up to factor x 360 degrees either way, zeros filling in (seeded). */
  z.strictObject({
    type: z.literal('randomRotation'),
    factor: z.number().min(0).max(1),
    fillMode: z.literal('constant').optional(),
  }),
  /** Training only: reads each image at a scale up to factor either side of 1 (above 1 zooms out), zeros filling in (seeded). */
  z.strictObject({
    type: z.literal('randomZoom'),
    heightFactor: z.number().min(0).max(0.9),
    widthFactor: z.number().min(0).max(0.9).optional(),
    fillMode: z.literal('constant').optional(),
  }),
]);

const learningRate = z.number().positive().max(10);
const optimizerObject = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('sgd'),
    learningRate: learningRate.default(0.01),
    momentum: z.number().min(0).max(1).default(0),
    nesterov: z.boolean().default(false),
  }),
  z.strictObject({
    name: z.literal('adam'),
    learningRate: learningRate.default(0.001),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    epsilon: z.number().positive().default(1e-7),
  }),
  z.strictObject({
    name: z.literal('rmsprop'),
    learningRate: learningRate.default(0.001),
    rho: z.number().min(0).lt(1).default(0.9),
    momentum: z.number().min(0).max(1).default(0),
    epsilon: z.number().positive().default(1e-7),
  }),
  z.strictObject({
    name: z.literal('adagrad'),
    learningRate: learningRate.default(0.01),
    initialAccumulatorValue: z.number().min(0).default(0.1),
  }),
]);
/** Keras accepts `optimizer: "adam"`; so do we, with Keras' default parameters. */
export const optimizerSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  optimizerObject,
);

const LOSS_ALIASES: Record<string, string> = {
  mean_squared_error: 'mse',
  mean_absolute_error: 'mae',
  huber_loss: 'huber',
};
export const lossSchema = z.preprocess(
  (value) => (typeof value === 'string' ? (LOSS_ALIASES[value] ?? value) : value),
  z.enum(['mse', 'mae', 'huber', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy']),
);

const METRIC_ALIASES: Record<string, string> = {
  mean_squared_error: 'mse',
  mean_absolute_error: 'mae',
  acc: 'accuracy',
};
export const metricSchema = z.preprocess(
  (value) => (typeof value === 'string' ? (METRIC_ALIASES[value] ?? value) : value),
  z.enum(['mae', 'mse', 'accuracy']),
);

export const earlyStoppingSchema = z.strictObject({
  monitor: z.string().regex(/^(val_)?[a-z_]+$/, 'must be a metric name such as val_loss').optional(),
  patience: z.number().int().min(0).max(LIMITS.epochs),
  minDelta: z.number().min(0).default(0),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  restoreBestWeights: z.boolean().default(false),
});

export const experimentDefinitionSchema = z.strictObject({
  name: safeText().trim().min(1).max(LIMITS.nameLength),
  description: safeText().max(5_000).optional(),
  /** Seeds every random draw of a run: data generation, split, initial weights, dropout, shuffles. */
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
  dataset: datasetSchema,
  preprocessing: preprocessingSchema.default({ features: 'none', target: 'none' }),
  split: splitSchema.default({ test: 0.2, validation: 0, stratify: false }),
  model: z.strictObject({ layers: z.array(layerSchema).min(1).max(LIMITS.layers) }),
  optimizer: optimizerSchema,
  loss: lossSchema,
  metrics: z.array(metricSchema).max(3).default([]),
  epochs: count.max(LIMITS.epochs),
  batchSize: count.max(LIMITS.batchSize).default(32),
  earlyStopping: earlyStoppingSchema.optional(),
  /**
   * Wall-clock limit of one run, in seconds: past it the run fails (TIME_LIMIT). A server has
   * its own maximum (TRAINYARD_MAX_RUN_SECONDS), which also applies when this is left out.
   */
  timeLimitSeconds: count.max(LIMITS.timeLimitSeconds).optional(),
  /** Raw (unscaled) inputs to predict after training, like the notebook's "check on new data". */
  predict: z.array(z.array(cellSchema)).min(1).max(LIMITS.predictRows).optional(),
});

/** What a user writes (defaults may be left out). */
export type ExperimentDefinitionInput = z.input<typeof experimentDefinitionSchema>;
/** A parsed definition, every default filled in. */
export type ExperimentDefinition = z.output<typeof experimentDefinitionSchema>;
