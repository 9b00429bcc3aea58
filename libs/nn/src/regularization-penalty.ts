import * as tf from '@tensorflow/tfjs';

type Layer = tf.LayersModel['layers'][number];

/**
 * The layers with a kernel or bias regularizer. Asked of the layers, not the model: a
 * Sequential's own calculateLosses() returns nothing until model.apply has built its inner
 * graph, which forwardPass never does.
 */
export function penalizedLayers(model: tf.LayersModel): Layer[] {
  return model.layers.filter((layer) => layer.losses.length > 0);
}

/** Sum of the regularization penalties of `layers` (from penalizedLayers), to add to the loss. */
export function regularizationPenalty(layers: Layer[]): tf.Scalar | undefined {
  if (layers.length === 0) return undefined;
  return tf.addN(layers.flatMap((layer) => layer.calculateLosses())) as tf.Scalar;
}
