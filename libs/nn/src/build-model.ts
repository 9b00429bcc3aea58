import * as tf from '@tensorflow/tfjs';
import { RandomFlip, RandomRotation, RandomTranslation, RandomZoom } from './augmentation-layers.js';
import { checkImage, createImageLayer } from './conv-layers.js';
import { drawSeed } from './draw-seed.js';
import type { LayerSpec, ModelSpec } from './model-spec.js';
import { TrainingError } from './training-error.js';
import { weightedLayerArgs } from './weighted-layer-args.js';

type Layer = tf.LayersModel['layers'][number];

/** Keras layer name prefixes, so names read dense, dense_1, dropout, ... as in a Keras summary. */
const NAME_PREFIX: Record<LayerSpec['type'], string> = {
  dense: 'dense',
  dropout: 'dropout',
  batchNormalization: 'batch_normalization',
  flatten: 'flatten',
  conv2d: 'conv2d',
  maxPooling2d: 'max_pooling2d',
  averagePooling2d: 'average_pooling2d',
  globalAveragePooling2d: 'global_average_pooling2d',
  reshape: 'reshape',
  randomFlip: 'random_flip',
  randomTranslation: 'random_translation',
  randomRotation: 'random_rotation',
  randomZoom: 'random_zoom',
};

/**
 * Builds the tfjs Sequential model for a spec. Seeds for every initializer and dropout layer
 * are drawn from `random` in layer order, so the same spec and random sequence give the same
 * starting weights. Throws INVALID_SPEC naming the layer index for a spec that cannot be built.
 */
export function buildModel(spec: ModelSpec, random: () => number): tf.Sequential {
  const inputShape = checkInputShape(spec.inputShape);
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    throw new TrainingError('INVALID_SPEC', 'model needs at least one layer');
  }
  const model = tf.sequential({ name: 'sequential' });
  try {
    addLayers(model, spec.layers, inputShape, random);
  } catch (error) {
    disposeQuietly(model);
    if (error instanceof TrainingError) throw error;
    throw new TrainingError('INVALID_SPEC', messageOf(error), { cause: error });
  }
  const outputShape = model.outputs[0]?.shape ?? [];
  if (outputShape.length !== 2) {
    disposeQuietly(model);
    throw new TrainingError(
      'INVALID_SPEC',
      `layer ${spec.layers.length - 1}: output shape [${outputShape.slice(1).join(', ')}] is not flat; targets are flat rows, add a flatten layer`,
    );
  }
  return model;
}

function addLayers(model: tf.Sequential, layers: LayerSpec[], inputShape: number[], random: () => number): void {
  const counts = new Map<string, number>();
  layers.forEach((layerSpec, index) => {
    const prefix = NAME_PREFIX[layerSpec.type] ?? 'layer';
    const seen = counts.get(prefix) ?? 0;
    counts.set(prefix, seen + 1);
    const name = seen === 0 ? prefix : `${prefix}_${seen}`;
    // One sample's shape entering this layer, for the image layers' checks.
    const input = index === 0 ? inputShape : (model.outputs[0]?.shape ?? []).slice(1).map((d) => d ?? 0);
    const layer = createLayer(layerSpec, index, name, input, index === 0, random);
    try {
      model.add(layer);
    } catch (error) {
      // tfjs reports shape conflicts (e.g. an impossible input rank) while adding the layer.
      throw new TrainingError('INVALID_SPEC', `layer ${index} (${layerSpec.type}): ${messageOf(error)}`, { cause: error });
    }
  });
}

function createLayer(
  spec: LayerSpec,
  index: number,
  name: string,
  input: number[],
  first: boolean,
  random: () => number,
): Layer {
  const invalid = (why: string) => new TrainingError('INVALID_SPEC', `layer ${index} (${spec.type}): ${why}`);
  const common = first ? { name, inputShape: input } : { name };
  switch (spec.type) {
    case 'dense': {
      if (!Number.isInteger(spec.units) || spec.units < 1) throw invalid(`units must be a positive integer, got ${spec.units}`);
      return tf.layers.dense({ ...common, units: spec.units, ...weightedLayerArgs(spec, random, invalid) });
    }
    case 'dropout': {
      if (!(typeof spec.rate === 'number' && spec.rate >= 0 && spec.rate < 1)) {
        throw invalid(`rate must be in [0, 1), got ${spec.rate}`);
      }
      // The training loop replaces this seed before every batch (see train-loop.ts); this one
      // only keeps tfjs away from Math.random should the layer ever run in training mode elsewhere.
      return tf.layers.dropout({ ...common, rate: spec.rate, seed: drawSeed(random) });
    }
    case 'batchNormalization': {
      const momentum = spec.momentum ?? 0.99;
      const epsilon = spec.epsilon ?? 0.001;
      if (!(momentum >= 0 && momentum <= 1)) throw invalid(`momentum must be in [0, 1], got ${momentum}`);
      if (!(epsilon > 0)) throw invalid(`epsilon must be > 0, got ${epsilon}`);
      return tf.layers.batchNormalization({ ...common, momentum, epsilon });
    }
    case 'flatten':
      return tf.layers.flatten(common);
    case 'conv2d':
    case 'maxPooling2d':
    case 'averagePooling2d':
    case 'globalAveragePooling2d':
    case 'reshape':
      return createImageLayer(spec, common, input, random, invalid);
    case 'randomFlip': {
      const mode = spec.mode ?? 'horizontal_and_vertical';
      if (!['horizontal', 'vertical', 'horizontal_and_vertical'].includes(mode)) {
        throw invalid(`mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical', got '${String(mode)}'`);
      }
      checkImage(input, invalid);
      // Replaced before every training batch (train-loop.ts), as dropout's.
      return new RandomFlip({ ...common, mode, seed: drawSeed(random) });
    }
    case 'randomTranslation': {
      for (const field of ['heightFactor', 'widthFactor'] as const) checkFactor(spec[field], field, 1, invalid);
      checkConstantFill(spec.fillMode, invalid);
      checkImage(input, invalid);
      return new RandomTranslation({ ...common, heightFactor: spec.heightFactor, widthFactor: spec.widthFactor, seed: drawSeed(random) });
    }
    case 'randomRotation': {
      checkFactor(spec.factor, 'factor', 1, invalid);
      checkConstantFill(spec.fillMode, invalid);
      checkImage(input, invalid);
      return new RandomRotation({ ...common, factor: spec.factor, seed: drawSeed(random) });
    }
    case 'randomZoom': {
      checkFactor(spec.heightFactor, 'heightFactor', 0.9, invalid);
      if (spec.widthFactor !== undefined) checkFactor(spec.widthFactor, 'widthFactor', 0.9, invalid);
      checkConstantFill(spec.fillMode, invalid);
      checkImage(input, invalid);
      const widthFactor = spec.widthFactor === undefined ? {} : { widthFactor: spec.widthFactor };
      return new RandomZoom({ ...common, heightFactor: spec.heightFactor, ...widthFactor, seed: drawSeed(random) });
    }
    default:
      throw invalid(`unknown layer type '${String((spec as { type: unknown }).type)}'`);
  }
}

function checkFactor(factor: unknown, field: string, most: number, invalid: (message: string) => TrainingError): void {
  if (!(typeof factor === 'number' && factor >= 0 && factor <= most)) throw invalid(`${field} must be in [0, ${most}], got ${String(factor)}`);
}

function checkConstantFill(fillMode: unknown, invalid: (message: string) => TrainingError): void {
  if (fillMode !== undefined && fillMode !== 'constant') throw invalid(`fillMode must be 'constant', got '${String(fillMode)}'`);
}

function checkInputShape(shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new TrainingError('INVALID_SPEC', `inputShape must be a non-empty list of positive integers, got ${JSON.stringify(shape)}`);
  }
  return shape as number[];
}


/** An empty Sequential has no inner model and throws on dispose; there is nothing to free then. */
function disposeQuietly(model: tf.Sequential): void {
  if (model.layers.length > 0) model.dispose();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
