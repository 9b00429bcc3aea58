import * as tf from '@tensorflow/tfjs';
import type { DenseActivation } from '../dense-forward.js';

type Layer = tf.LayersModel['layers'][number];

/** What a Dense layer of a packable model is, as the pack needs it. */
export interface PackedDense {
  units: number;
  /** Inputs of the layer (the kernel's first axis). */
  inputs: number;
  useBias: boolean;
  /** Activation name from the layer's config: the trials of a pack must agree. */
  activationName: string;
  /** The layer's own activation function (the first trial's; the names agree). */
  activation: DenseActivation;
}

/** The parts of tfjs-layers' Dense that its typings keep private. */
interface DenseInternals {
  activation: DenseActivation;
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
}

/**
 * Why a model cannot train in a pack, or its Dense layers when it can. A pack stacks the
 * trials' kernels and steps them with one op per layer, so only what that stacking
 * reproduces exactly is packed: a Sequential model of Dense layers without regularizers or
 * constraints. Dropout, batch normalization, convolutions and augmentation train alone.
 */
export function packLayers(model: tf.LayersModel): PackedDense[] | string {
  if (!(model instanceof tf.Sequential)) return 'only Sequential models are packed';
  const dense: PackedDense[] = [];
  for (const layer of model.layers) {
    const refusal = denseRefusal(layer);
    if (refusal) return refusal;
    const config = layer.getConfig();
    const internals = layer as unknown as DenseInternals;
    const kernelShape = internals.kernel.read().shape;
    dense.push({
      units: Number(config['units']),
      inputs: kernelShape[0] ?? 0,
      useBias: internals.bias !== null,
      activationName: String(config['activation']),
      activation: internals.activation,
    });
  }
  return dense.length > 0 ? dense : 'the model has no layers';
}

function denseRefusal(layer: Layer): string | undefined {
  const kind = layer.getClassName();
  if (kind !== 'Dense') return `a ${kind} layer (${layer.name}) trains alone; packs hold Dense layers only`;
  const config = layer.getConfig();
  for (const key of ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint']) {
    if (config[key] != null) return `layer ${layer.name} has a ${key}; packs hold Dense layers without one`;
  }
  return undefined;
}

/** The reason two trials' layers cannot share a pack, if any. */
export function layersMismatch(a: PackedDense[], b: PackedDense[]): string | undefined {
  if (a.length !== b.length) return `${a.length} layers against ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    if (!x || !y) continue;
    if (x.units !== y.units || x.inputs !== y.inputs || x.useBias !== y.useBias || x.activationName !== y.activationName) {
      return `layer ${i + 1} differs (${x.inputs}->${x.units} ${x.activationName} against ${y.inputs}->${y.units} ${y.activationName})`;
    }
  }
  return undefined;
}

/** A Dense layer's kernel and bias variables, in that order (bias absent without useBias). */
export function denseWeights(layer: Layer): { kernel: tf.Tensor; bias: tf.Tensor | undefined } {
  const internals = layer as unknown as DenseInternals;
  return { kernel: internals.kernel.read(), bias: internals.bias?.read() };
}
