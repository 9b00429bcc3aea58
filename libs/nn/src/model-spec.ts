/** Keras activation names; mapped to their tfjs-layers equivalents when the model is built. */
export type Activation =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'elu'
  | 'selu'
  | 'sigmoid'
  | 'hard_sigmoid'
  | 'softmax'
  | 'softplus'
  | 'softsign'
  | 'tanh'
  | 'swish'
  | 'gelu';

/** Keras initializer names. Random ones always get an explicit seed (see buildModel). */
export type Initializer =
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'he_uniform'
  | 'he_normal'
  | 'lecun_uniform'
  | 'lecun_normal'
  | 'zeros'
  | 'ones'
  | 'random_uniform'
  | 'random_normal'
  | 'truncated_normal';

/** Keras L1L2 weight penalty: l1 * sum(|w|) + l2 * sum(w^2), added to the training loss. */
export interface Regularizer {
  /** L1 factor; 0 or absent means no L1 term. */
  l1?: number;
  /** L2 factor; 0 or absent means no L2 term. */
  l2?: number;
}

/** Fully connected layer (Keras `Dense`): activation(x · kernel + bias). */
export interface DenseLayerSpec {
  type: 'dense';
  /** Number of output units; a positive integer. */
  units: number;
  /** Activation applied to the output. Default 'linear'. */
  activation?: Activation;
  /** Whether the layer adds a bias vector. Default true. */
  useBias?: boolean;
  /** Initializer of the kernel matrix. Default 'glorot_uniform'. */
  kernelInitializer?: Initializer;
  /** Initializer of the bias vector. Default 'zeros'. */
  biasInitializer?: Initializer;
  /** Penalty on the kernel, added to the training loss. */
  kernelRegularizer?: Regularizer;
  /** Penalty on the bias, added to the training loss. */
  biasRegularizer?: Regularizer;
}

/** Keras `Dropout`: zeroes a fraction of inputs during training only, scaling the rest by 1 / (1 - rate). */
export interface DropoutLayerSpec {
  type: 'dropout';
  /** Fraction of inputs to drop, in [0, 1). */
  rate: number;
}

/** Keras `BatchNormalization` over the last axis. */
export interface BatchNormalizationLayerSpec {
  type: 'batchNormalization';
  /** Momentum of the moving mean and variance, in [0, 1]. Default 0.99. */
  momentum?: number;
  /** Small positive number added to the variance to avoid dividing by zero. Default 0.001. */
  epsilon?: number;
}

/** Keras `Flatten`: reshapes [batch, ...dims] to [batch, product(dims)]. */
export interface FlattenLayerSpec {
  type: 'flatten';
}

export type LayerSpec = DenseLayerSpec | DropoutLayerSpec | BatchNormalizationLayerSpec | FlattenLayerSpec;

/** A Keras Sequential model: the shape of one sample (without the batch axis) and the layers in order. */
export interface ModelSpec {
  /** Shape of one input sample, e.g. [8]; x rows are flat and reshaped to it. */
  inputShape: number[];
  layers: LayerSpec[];
}
