import * as tf from '@tensorflow/tfjs';

type Layer = tf.LayersModel['layers'][number];

/** What tfjs' Dense keeps private and its call() reads. */
interface DenseInternals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
}

/** Activations tfjs' Dense hands to fused.matMul as they are (mapActivationToFusedKernel). */
const FUSED = new Set(['relu', 'linear']);

/**
 * A Dense layer's output computed as its call() computes it, minus the per-call wrapping:
 * Dense.call runs a tidy, the call hook and layers' K.dot checks around one
 * tf.fused.matMul({a: x, b: kernel, bias, activation}) for a 2-D input and a relu or linear
 * activation (reshapeBias returns a rank-2 input's bias as it is). The same op with the same
 * arguments gives the same kernels and the same bits, forward and backward; in a small
 * network that wrapping is a measurable share of a training step. Undefined when the layer
 * is not such a Dense layer: the caller then uses layer.call.
 */
export function fusedDenseForward(layer: Layer, x: tf.Tensor): tf.Tensor | undefined {
  if (x.rank !== 2 || layer.getClassName() !== 'Dense') return undefined;
  const dense = layer as unknown as DenseInternals;
  const activation = dense.activation.getClassName();
  if (!FUSED.has(activation)) return undefined;
  return tf.fused.matMul({
    a: x as tf.Tensor2D,
    b: dense.kernel.read() as tf.Tensor2D,
    transposeA: false,
    transposeB: false,
    // Dense passes null without a bias; fusedMatMul tests `bias != null`, so leaving it out is the same.
    ...(dense.bias ? { bias: dense.bias.read() } : {}),
    activation: activation as 'relu' | 'linear',
  });
}
