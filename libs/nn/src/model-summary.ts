import type * as tf from '@tensorflow/tfjs';

export interface LayerSummary {
  name: string;
  /** Keras class name: Dense, Dropout, BatchNormalization, Flatten. */
  className: string;
  /** With the batch axis first, null as in Keras' (None, 16). */
  outputShape: (number | null)[];
  params: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

/** Keras' model.summary() numbers for a built model. */
export function summarizeModel(model: tf.LayersModel): ModelSummary {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  const layers = model.layers.map((layer) => {
    // Batch normalization's moving mean and variance count as non-trainable, as in Keras.
    trainableParams += countWeights(layer.trainableWeights);
    nonTrainableParams += countWeights(layer.nonTrainableWeights);
    return {
      name: layer.name,
      className: layer.getClassName(),
      outputShape: firstShape(layer.outputShape),
      params: layer.countParams(),
    };
  });
  return { layers, totalParams: trainableParams + nonTrainableParams, trainableParams, nonTrainableParams };
}

function countWeights(weights: { shape: (number | null)[] }[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce<number>((n, d) => n * (d ?? 0), 1), 0);
}

type Shape = tf.LayersModel['layers'][number]['outputShape'];

function firstShape(shape: Shape): (number | null)[] {
  // Single-output layers report one shape; tfjs types it as "one shape or a list of shapes".
  const first = Array.isArray(shape[0]) || shape[0] === undefined ? shape[0] : shape;
  return Array.isArray(first) ? first.map((d) => (typeof d === 'number' ? d : null)) : [];
}
