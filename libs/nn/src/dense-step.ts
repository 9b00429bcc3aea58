import * as tf from '@tensorflow/tfjs';
import { activationDerivative } from './activation-derivatives.js';
import { denseWeights, packLayers, type PackedDense } from './packed/pack-layers.js';

/*
 * A training step of a plain Dense network with its gradients written out: the same kernels
 * in the same order as optimizer.minimize over forward-pass.ts runs them on tfjs' tape, so
 * the same bits (dense-step.spec.ts), without the tape's own ops. The tape copies every
 * tensor a gradient will need (an Identity op each) and reshapes around every product; for
 * the California network that is about a third of a step's ops, and small networks spend
 * their time dispatching ops. Only the loss and the last layer's activation stay on the tape.
 */

/** A network the step can train: its Dense layers and the model they are read from. */
export interface DenseNetwork {
  model: tf.LayersModel;
  layers: PackedDense[];
}

export interface DenseStep {
  /** The gradients of the model's trainable weights, in their order (each layer's kernel, then its bias). */
  gradients: tf.Tensor[];
  loss: tf.Scalar;
  /** The network's output, when asked for. */
  output: tf.Tensor | undefined;
}

/**
 * The network when this step can train it: a Sequential model of Dense layers without
 * regularizers or constraints (what a pack holds) on feature vectors, whose hidden
 * activations have their derivatives written out. Anything else trains on the tape.
 */
export function denseNetwork(model: tf.LayersModel, inputRank: number): DenseNetwork | undefined {
  if (inputRank !== 2) return undefined;
  const layers = packLayers(model);
  if (typeof layers === 'string') return undefined;
  if (!layers.slice(0, -1).every((layer) => activationDerivative(layer.activationName) !== undefined)) return undefined;
  // The step's gradients are every layer's kernel and bias: all of them must be trainable.
  if (model.trainableWeights.length !== layers.reduce((n, layer) => n + (layer.useBias ? 2 : 1), 0)) return undefined;
  return { model, layers };
}

/** One forward and backward pass on a batch; `lossOf` takes the network's output to the batch's loss. */
export function denseStep(network: DenseNetwork, x: tf.Tensor, lossOf: (output: tf.Tensor) => tf.Scalar, keepOutput: boolean): DenseStep {
  const { model, layers } = network;
  const last = layers.length - 1;
  const weights = layers.map((_, l) => denseWeights(model.layers[l] as tf.LayersModel['layers'][number]));
  // Per layer: its input, its pre-activation (bias added), its output.
  const inputs: tf.Tensor[] = [];
  const preActivations: tf.Tensor[] = [];
  const outputs: tf.Tensor[] = [];
  layers.forEach((layer, l) => {
    const input = outputs[l - 1] ?? x;
    inputs.push(input);
    const { kernel, bias } = weights[l] as ReturnType<typeof denseWeights>;
    const z = preActivation(layer, input, kernel, bias);
    preActivations.push(z);
    if (l < last) outputs.push(layer.activation.apply(z));
  });

  let loss: tf.Scalar | undefined;
  let output: tf.Tensor | undefined;
  const lastLayer = layers[last] as PackedDense;
  let dz = tf.grad((z: tf.Tensor) => {
    const out = lastLayer.activation.apply(z);
    if (keepOutput) output = tf.keep(out);
    loss = tf.keep(lossOf(out));
    return loss;
  })(preActivations[last] as tf.Tensor);
  if (!loss) throw new Error('the dense step computed no loss');

  const gradients: tf.Tensor[][] = [];
  for (let l = last; l >= 0; l--) {
    const layer = layers[l] as PackedDense;
    if (l < last) {
      const derivative = activationDerivative(layer.activationName);
      if (!derivative) throw new Error(`no derivative for ${layer.activationName}`);
      dz = derivative(dz, preActivations[l] as tf.Tensor, outputs[l] as tf.Tensor);
    }
    const { kernel, bias } = weights[l] as ReturnType<typeof denseWeights>;
    // MatMul's gradients (tfjs-core gradients/BatchMatMul_grad, and fused matMul's), and Add's for the bias.
    gradients[l] = [tf.matMul(inputs[l] as tf.Tensor, dz, true, false), ...(bias ? [tf.reshape(tf.sum(dz, 0), bias.shape)] : [])];
    if (l > 0) dz = tf.matMul(dz, kernel, false, true);
  }
  return { gradients: gradients.flat(), loss, output };
}

/**
 * A layer's pre-activation with the kernels the tape path runs (forward-pass.ts, in gradient
 * mode): a relu layer's fused matMul splits into matMul and add there; a linear layer's stays
 * one fused op, bias included (wasm's starts its sums from the bias, so it must stay fused);
 * other activations go through Dense.call, a fused product without bias, then add.
 */
function preActivation(layer: PackedDense, x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor {
  if (layer.activationName === 'relu') {
    const product = tf.matMul(x, kernel);
    return bias ? tf.add(product, bias) : product;
  }
  const a = x as tf.Tensor2D;
  const b = kernel as tf.Tensor2D;
  if (layer.activationName === 'linear') return tf.fused.matMul({ a, b, ...(bias ? { bias } : {}), activation: 'linear' });
  const product = tf.fused.matMul({ a, b });
  return bias ? tf.add(product, bias) : product;
}
