import * as tf from '@tensorflow/tfjs';
import { activationDerivative } from '../activation-derivatives.js';
import type { PackedDense } from './pack-layers.js';

/*
 * A pack's training step on wasm: products as depthwise convolutions, gradients written out.
 *
 * tfjs-backend-wasm 4.22 runs a batched matMul ([trials, rows, in] x [trials, in, out]) as a
 * scalar loop: only an unbatched, untransposed product goes to XNNPACK
 * (batch_mat_mul_impl.cc). A depthwise convolution whose channels are the trials, whose kernel
 * spans the summed axis and whose channel multiplier is the layer's units computes the same
 * sums, in the same order, through XNNPACK: 3 to 4 times faster for the California network's
 * layers at 16 trials, the same bits for sums of up to 48 terms (matMul adds longer ones in
 * blocks of 48). Activations are laid out rows first, [rows, trials, units], the layout such a
 * convolution returns, and kernels [in, trials, out], the layout its filter takes.
 *
 * With the products this cheap, the step's time is tfjs' cost per op, and its gradient tape
 * adds ops of its own (a copy of every tensor a gradient needs). So only the loss and the last
 * layer's activation go through the tape; the Dense layers' gradients are written here with
 * the ops tfjs' own gradients use, in the same order: the same bits with a third fewer ops
 * (rows-first-pass.spec.ts). Hidden
 * activations without a derivative here train on the batched matMul path.
 */

/** What a step needs of the pack: its layers and their stacked weights, kernels [in, trials, out] and biases [trials, 1, out]. */
export interface RowsFirstNetwork {
  layers: PackedDense[];
  kernels: tf.Tensor[];
  biases: (tf.Tensor | undefined)[];
}

/** A batch of every trial's rows [rows, trials, features], in the two layouts the first layer reads. */
export interface RowsFirstInput {
  /** [rows, features, trials]: what the first product reads. */
  rowsFeaturesTrials: tf.Tensor;
  /** [features, rows, trials]: what the first kernel's gradient reads. */
  featuresRowsTrials: tf.Tensor;
}

export interface RowsFirstStep {
  /** The kernels' gradients, then the biases' (those there are): the order of RowsFirstNetwork's variables. */
  gradients: tf.Tensor[];
  /** Each trial's loss on its batch. */
  perTrial: tf.Tensor1D;
  /** The network's output [trials, rows, units], when asked for. */
  output: tf.Tensor | undefined;
}

/** Whether a pack of these layers can take the rows-first step: every hidden activation has its derivative here. */
export function rowsFirstStepFits(layers: PackedDense[]): boolean {
  return layers.slice(0, -1).every((layer) => activationDerivative(layer.activationName) !== undefined);
}

/**
 * One forward and backward pass of every trial. `lossOf` takes the network's output
 * [trials, rows, units] to the per-trial losses; it and the last activation run on tfjs' tape.
 */
export function rowsFirstStep(network: RowsFirstNetwork, x: RowsFirstInput, lossOf: (output: tf.Tensor) => tf.Tensor1D, keepOutput: boolean): RowsFirstStep {
  const { layers, kernels, biases } = network;
  const last = layers.length - 1;
  // Per layer: its input in the layout its kernel's gradient reads, its pre-activation, its activation.
  const inputs: tf.Tensor[] = [];
  const preActivations: tf.Tensor[] = [];
  const activations: tf.Tensor[] = [];
  layers.forEach((layer, l) => {
    const h = activations[l - 1];
    inputs.push(h ? tf.transpose(h, [2, 0, 1]) : x.featuresRowsTrials);
    const product = productPerTrial(h ? tf.transpose(h, [0, 2, 1]) : x.rowsFeaturesTrials, kernelAt(kernels, l));
    const bias = biases[l];
    const z = bias ? tf.add(product, tf.reshape(bias, [-1, layer.units])) : product;
    preActivations.push(z);
    if (l < last) activations.push(layer.activation.apply(z));
  });

  let perTrial: tf.Tensor1D | undefined;
  let output: tf.Tensor | undefined;
  const lastLayer = layers[last] as PackedDense;
  let dz = tf.grad((z: tf.Tensor) => {
    const out = tf.transpose(lastLayer.activation.apply(z), [1, 0, 2]);
    if (keepOutput) output = tf.keep(out);
    perTrial = tf.keep(lossOf(out));
    return tf.sum(perTrial);
  })(preActivations[last] as tf.Tensor);
  if (!perTrial) throw new Error('the rows-first step computed no loss');

  const kernelGradients: tf.Tensor[] = [];
  const biasGradients: (tf.Tensor | undefined)[] = [];
  for (let l = last; l >= 0; l--) {
    const layer = layers[l] as PackedDense;
    if (l < last) {
      const derivative = activationDerivative(layer.activationName);
      if (!derivative) throw new Error(`no derivative for ${layer.activationName}`);
      dz = derivative(dz, preActivations[l] as tf.Tensor, activations[l] as tf.Tensor);
    }
    kernelGradients[l] = productPerTrial(inputs[l] as tf.Tensor, dz);
    const bias = biases[l];
    biasGradients[l] = bias ? tf.reshape(tf.sum(dz, 0), bias.shape) : undefined;
    if (l > 0) dz = productPerTrial(tf.transpose(dz, [0, 2, 1]), tf.transpose(kernelAt(kernels, l), [2, 1, 0]));
  }
  return { gradients: [...kernelGradients, ...biasGradients.filter((g): g is tf.Tensor => g !== undefined)], perTrial, output };
}

/**
 * out[h, p, m] = sum over k of a[h, k, p] * b[k, p, m], for a [H, K, trials] and b [K, trials, M]:
 * one product per trial p, as one depthwise convolution (input 1 x H x K x trials, filter
 * 1 x K x trials x M).
 */
export function productPerTrial(a: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  const [height, width, trials] = a.shape as [number, number, number];
  const multiplier = b.shape[2] as number;
  const input = tf.reshape(a, [1, height, width, trials]) as tf.Tensor4D;
  const filter = tf.reshape(b, [1, width, trials, multiplier]) as tf.Tensor4D;
  return tf.reshape(tf.depthwiseConv2d(input, filter, 1, 'valid'), [height, trials, multiplier]);
}

function kernelAt(kernels: tf.Tensor[], l: number): tf.Tensor {
  const kernel = kernels[l];
  if (!kernel) throw new Error(`the pack has no kernel ${l}`);
  return kernel;
}
