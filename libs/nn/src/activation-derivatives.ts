import * as tf from '@tensorflow/tfjs';

/** dx from dy for an activation, given its input x and output y. */
export type ActivationDerivative = (dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/**
 * tfjs' own gradients of the hidden activations a hand-written backward pass supports
 * (tfjs-core gradients/Relu_grad, Tanh_grad, Sigmoid_grad), op for op, so that such a pass
 * gives the bits tfjs' tape gives.
 */
const DERIVATIVES: Readonly<Record<string, ActivationDerivative>> = {
  linear: (dy) => dy,
  relu: (dy, x) => tf.mul(dy, tf.cast(tf.step(x), 'float32')),
  tanh: (dy, _x, y) => tf.mul(tf.sub(tf.scalar(1), tf.square(y)), dy),
  sigmoid: (dy, _x, y) => tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y))),
};

/** The derivative of the activation named (a Dense layer's config name), if written here. */
export function activationDerivative(name: string): ActivationDerivative | undefined {
  return Object.hasOwn(DERIVATIVES, name) ? DERIVATIVES[name] : undefined;
}
