import * as tf from '@tensorflow/tfjs';

/** A Dense layer's activation as tfjs-layers holds it (`layer.activation`). */
export interface DenseActivation {
  apply(x: tf.Tensor): tf.Tensor;
}

/**
 * A Dense layer in training: matMul, then the bias, then the activation, one op each. It works
 * on one model ([rows, in] x kernel [in, out] + bias [out]) and on a pack of trials
 * ([trials, rows, in] x [trials, in, out] + [trials, 1, out]) with the same kernels per trial, so
 * a packed trial computes exactly what it computes alone. tfjs-layers fuses the three into one
 * kernel instead; on cpu that gives the same bits, but wasm's fused kernel (XNNPACK) starts
 * its sums from the bias, one rounding apart, and takes only a rank-1 bias, which a pack
 * cannot give it.
 */
export function denseForward(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, activation: DenseActivation): tf.Tensor {
  const product = tf.matMul(x, kernel);
  return activation.apply(bias ? tf.add(product, bias) : product);
}
