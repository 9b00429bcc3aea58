import * as tf from '@tensorflow/tfjs';
import { fusedDenseForward } from './fused-dense-forward.js';

/**
 * The model's output for a batch. A Sequential model's layers are called one after the
 * other directly: model.apply would route each batch through tfjs' graph executor and the
 * per-layer input checks, per-op overhead that is a measurable share of a small network's
 * training step. A plain Dense layer skips even its call() wrapping (fused-dense-forward.ts),
 * with the same op and the same bits. Other topologies (a functional model loaded from
 * elsewhere) use model.apply. `training` switches dropout on and batch normalization to batch
 * statistics, as in Keras.
 */
export function forwardPass(model: tf.LayersModel, x: tf.Tensor, training: boolean): tf.Tensor {
  const kwargs = { training };
  if (!(model instanceof tf.Sequential)) return model.apply(x, kwargs) as tf.Tensor;
  let output = x;
  for (const layer of model.layers) output = fusedDenseForward(layer, output) ?? (layer.call(output, kwargs) as tf.Tensor);
  return output;
}
