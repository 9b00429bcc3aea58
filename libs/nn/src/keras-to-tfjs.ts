import * as tf from '@tensorflow/tfjs';
import type { Activation, Initializer, Regularizer } from './model-spec.js';

type TfjsActivation = NonNullable<Parameters<typeof tf.layers.dense>[0]['activation']>;
type TfjsInitializer = ReturnType<typeof tf.initializers.zeros>;
type TfjsRegularizer = ReturnType<typeof tf.regularizers.l1l2>;

/** Keras activation name -> tfjs-layers identifier (tfjs spells a few in camelCase). */
export const ACTIVATIONS: Readonly<Record<Activation, TfjsActivation>> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  tanh: 'tanh',
  swish: 'swish',
  // tfjs 'gelu' is the exact erf form, Keras' default (approximate=False).
  gelu: 'gelu',
};

// Keras' defaults for the plain random initializers (tf.keras.initializers.RandomUniform etc.).
const KERAS_RANDOM_STDDEV = 0.05;

/**
 * tfjs initializer for a Keras name. Every random one gets `seed`: without it tfjs seeds
 * from Math.random and no two builds start from the same weights.
 */
export function initializer(name: Initializer, seed: number): TfjsInitializer {
  const seeded = { seed };
  switch (name) {
    case 'glorot_uniform':
      return tf.initializers.glorotUniform(seeded);
    case 'glorot_normal':
      return tf.initializers.glorotNormal(seeded);
    case 'he_uniform':
      return tf.initializers.heUniform(seeded);
    case 'he_normal':
      return tf.initializers.heNormal(seeded);
    case 'lecun_uniform':
      return tf.initializers.leCunUniform(seeded);
    case 'lecun_normal':
      return tf.initializers.leCunNormal(seeded);
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
    case 'random_uniform':
      return tf.initializers.randomUniform({ minval: -KERAS_RANDOM_STDDEV, maxval: KERAS_RANDOM_STDDEV, seed });
    case 'random_normal':
      return tf.initializers.randomNormal({ mean: 0, stddev: KERAS_RANDOM_STDDEV, seed });
    case 'truncated_normal':
      return tf.initializers.truncatedNormal({ mean: 0, stddev: KERAS_RANDOM_STDDEV, seed });
  }
}

/** tfjs L1L2 regularizer, or undefined when both factors are absent or zero (no penalty ops at all). */
export function regularizer(spec: Regularizer | undefined): TfjsRegularizer | undefined {
  const l1 = spec?.l1 ?? 0;
  const l2 = spec?.l2 ?? 0;
  return l1 === 0 && l2 === 0 ? undefined : tf.regularizers.l1l2({ l1, l2 });
}

export function isActivation(value: unknown): value is Activation {
  return typeof value === 'string' && Object.hasOwn(ACTIVATIONS, value);
}

const INITIALIZERS: ReadonlySet<string> = new Set<Initializer>([
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'zeros',
  'ones',
  'random_uniform',
  'random_normal',
  'truncated_normal',
]);

export function isInitializer(value: unknown): value is Initializer {
  return typeof value === 'string' && INITIALIZERS.has(value);
}
