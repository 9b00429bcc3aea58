import type * as tf from '@tensorflow/tfjs';
import { drawSeed } from './draw-seed.js';
import { ACTIVATIONS, initializer, isActivation, isInitializer, regularizer } from './keras-to-tfjs.js';
import type { Regularizer, WeightedLayerFields } from './model-spec.js';
import type { TrainingError } from './training-error.js';

type DenseArgs = Parameters<typeof tf.layers.dense>[0];
export type WeightedLayerArgs = Pick<DenseArgs, 'activation' | 'useBias' | 'kernelInitializer' | 'biasInitializer' | 'kernelRegularizer' | 'biasRegularizer'>;

function checkRegularizer(spec: Regularizer | undefined, field: string, invalid: (why: string) => TrainingError): void {
  if (spec === undefined) return;
  for (const key of ['l1', 'l2'] as const) {
    const value = spec[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw invalid(`${field}.${key} must be a finite number >= 0, got ${value}`);
    }
  }
}

/**
 * The tfjs arguments of a layer with weights, checked (an unknown activation or initializer, a
 * negative penalty: `invalid`). Both seeds are drawn from `random`, kernel then bias, even
 * when an initializer ignores them (zeros, ones, useBias false), so changing one initializer
 * does not shift the seeds of every later layer.
 */
export function weightedLayerArgs(spec: WeightedLayerFields, random: () => number, invalid: (why: string) => TrainingError): WeightedLayerArgs {
  const activation = spec.activation ?? 'linear';
  if (!isActivation(activation)) throw invalid(`unknown activation '${String(activation)}'`);
  const kernelInit = spec.kernelInitializer ?? 'glorot_uniform';
  const biasInit = spec.biasInitializer ?? 'zeros';
  for (const init of [kernelInit, biasInit]) {
    if (!isInitializer(init)) throw invalid(`unknown initializer '${String(init)}'`);
  }
  checkRegularizer(spec.kernelRegularizer, 'kernelRegularizer', invalid);
  checkRegularizer(spec.biasRegularizer, 'biasRegularizer', invalid);
  const kernelSeed = drawSeed(random);
  const biasSeed = drawSeed(random);
  const kernelRegularizer = regularizer(spec.kernelRegularizer);
  const biasRegularizer = regularizer(spec.biasRegularizer);
  return {
    activation: ACTIVATIONS[activation],
    useBias: spec.useBias ?? true,
    kernelInitializer: initializer(kernelInit, kernelSeed),
    biasInitializer: initializer(biasInit, biasSeed),
    ...(kernelRegularizer ? { kernelRegularizer } : {}),
    ...(biasRegularizer ? { biasRegularizer } : {}),
  };
}
