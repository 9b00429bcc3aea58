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
/** What the layers with weights (dense, conv2d) share. */
export interface WeightedLayerFields {
  /** Activation applied to the output. Default 'linear'. */
  activation?: Activation;
  /** Whether the layer adds a bias (per unit, per filter). Default true. */
  useBias?: boolean;
  /** Initializer of the kernel. Default 'glorot_uniform'. */
  kernelInitializer?: Initializer;
  /** Initializer of the bias. Default 'zeros'. */
  biasInitializer?: Initializer;
  /** Penalty on the kernel, added to the training loss. */
  kernelRegularizer?: Regularizer;
  /** Penalty on the bias, added to the training loss. */
  biasRegularizer?: Regularizer;
}

export interface DenseLayerSpec extends WeightedLayerFields {
  type: 'dense';
  /** Number of output units; a positive integer. */
  units: number;
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

/** A window size or stride: one number for both axes, or [height, width]. */
export type Size2d = number | [number, number];

/** Keras padding: 'valid' (no padding, the output shrinks) or 'same' (zero padding, output = ceil(input / stride)). */
export type Padding = 'valid' | 'same';

/** Keras `Conv2D` over channels-last images [height, width, channels]: activation(conv(x, kernel) + bias). */
export interface Conv2dLayerSpec extends WeightedLayerFields {
  type: 'conv2d';
  /** Number of output channels; a positive integer. */
  filters: number;
  /** Kernel window, [height, width] or one number for both. */
  kernelSize: Size2d;
  /** Step of the window. Default 1. */
  strides?: Size2d;
  /** Default 'valid'. */
  padding?: Padding;
}

/** Keras `MaxPooling2D` / `AveragePooling2D`: the maximum or mean of each window, per channel. */
export interface Pooling2dLayerSpec {
  type: 'maxPooling2d' | 'averagePooling2d';
  /** Window, [height, width] or one number for both. Default 2. */
  poolSize?: Size2d;
  /** Step of the window. Default: poolSize. */
  strides?: Size2d;
  /** Default 'valid'. */
  padding?: Padding;
}

/** Keras `GlobalAveragePooling2D`: [batch, h, w, c] -> [batch, c], the mean of each channel. */
export interface GlobalAveragePooling2dLayerSpec {
  type: 'globalAveragePooling2d';
}

/** Keras `Reshape`: each sample to targetShape (same number of values). */
export interface ReshapeLayerSpec {
  type: 'reshape';
  /** 1 to 3 positive integers whose product is the input's size, e.g. [8, 8, 1] for 64 features. */
  targetShape: number[];
}

/**
 * Keras `RandomFlip`, training only: each image is flipped with probability 1/2 along each
 * axis the mode names. The identity at evaluate and predict time.
 */
export interface RandomFlipLayerSpec {
  type: 'randomFlip';
  /** Default 'horizontal_and_vertical', as in Keras. */
  mode?: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
}

/**
 * Keras `RandomTranslation` with fill_mode 'constant' (zeros) and nearest interpolation,
 * training only: each image moves by a whole number of pixels drawn uniformly from
 * [-round(factor * size), round(factor * size)] on each axis. The identity at evaluate and predict time.
 */
export interface RandomTranslationLayerSpec {
  type: 'randomTranslation';
  /** Largest vertical shift as a fraction of the height, in [0, 1]. */
  heightFactor: number;
  /** Largest horizontal shift as a fraction of the width, in [0, 1]. */
  widthFactor: number;
  /** Only 'constant' (zeros enter where the image moved away). */
  fillMode?: 'constant';
}

/**
 * Keras `RandomRotation` with fill_mode 'constant' (zeros) and nearest interpolation, training
 * only: each image turns about its centre by an angle drawn uniformly from
 * [-factor, factor] x 2 pi. The identity at evaluate and predict time.
 */
export interface RandomRotationLayerSpec {
  type: 'randomRotation';
  /** Largest turn either way as a fraction of a full turn, in [0, 1]. */
  factor: number;
  /** Only 'constant'. */
  fillMode?: 'constant';
}

/**
 * Keras `RandomZoom` with fill_mode 'constant' (zeros) and nearest interpolation, training only:
 * each image is read at a scale drawn uniformly from [1 - heightFactor, 1 + heightFactor]
 * (above 1 zooms out), the width at its own from widthFactor, else at the height's. The
 * identity at evaluate and predict time.
 */
export interface RandomZoomLayerSpec {
  type: 'randomZoom';
  /** In [0, 0.9]. */
  heightFactor: number;
  /** In [0, 0.9]; the height's scale when left out. */
  widthFactor?: number;
  /** Only 'constant'. */
  fillMode?: 'constant';
}

export type LayerSpec =
  | DenseLayerSpec
  | DropoutLayerSpec
  | BatchNormalizationLayerSpec
  | FlattenLayerSpec
  | Conv2dLayerSpec
  | Pooling2dLayerSpec
  | GlobalAveragePooling2dLayerSpec
  | ReshapeLayerSpec
  | RandomFlipLayerSpec
  | RandomTranslationLayerSpec
  | RandomRotationLayerSpec
  | RandomZoomLayerSpec;

/** A Keras Sequential model: the shape of one sample (without the batch axis) and the layers in order. */
export interface ModelSpec {
  /** Shape of one input sample, e.g. [8]; x rows are flat and reshaped to it. */
  inputShape: number[];
  layers: LayerSpec[];
}
