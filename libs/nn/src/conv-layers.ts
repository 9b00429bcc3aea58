import * as tf from '@tensorflow/tfjs';
import type { Conv2dLayerSpec, GlobalAveragePooling2dLayerSpec, Padding, Pooling2dLayerSpec, ReshapeLayerSpec, Size2d } from './model-spec.js';
import type { TrainingError } from './training-error.js';
import { weightedLayerArgs } from './weighted-layer-args.js';

type Layer = tf.LayersModel['layers'][number];
type Invalid = (why: string) => TrainingError;
type Common = { name: string; inputShape?: number[] };

/** The image layers: convolution, pooling, reshape. `input` is one sample's shape (no batch axis). */
export type ImageLayerSpec = Conv2dLayerSpec | Pooling2dLayerSpec | GlobalAveragePooling2dLayerSpec | ReshapeLayerSpec;

export function createImageLayer(spec: ImageLayerSpec, common: Common, input: number[], random: () => number, invalid: Invalid): Layer {
  switch (spec.type) {
    case 'conv2d': {
      if (!(Number.isInteger(spec.filters) && spec.filters >= 1)) throw invalid(`filters must be a positive integer, got ${spec.filters}`);
      const kernelSize = size2d(spec.kernelSize, 'kernelSize', invalid);
      const strides = size2d(spec.strides ?? 1, 'strides', invalid);
      const padding = paddingOf(spec.padding, invalid);
      checkWindow(input, kernelSize, 'kernelSize', padding, invalid);
      return tf.layers.conv2d({ ...common, filters: spec.filters, kernelSize, strides, padding, dataFormat: 'channelsLast', ...weightedLayerArgs(spec, random, invalid) });
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const poolSize = size2d(spec.poolSize ?? 2, 'poolSize', invalid);
      const strides = size2d(spec.strides ?? poolSize, 'strides', invalid);
      const padding = paddingOf(spec.padding, invalid);
      checkWindow(input, poolSize, 'poolSize', padding, invalid);
      const args = { ...common, poolSize, strides, padding, dataFormat: 'channelsLast' as const };
      return spec.type === 'maxPooling2d' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    }
    case 'globalAveragePooling2d':
      checkImage(input, invalid);
      return tf.layers.globalAveragePooling2d({ ...common, dataFormat: 'channelsLast' });
    case 'reshape': {
      const target = spec.targetShape;
      if (!Array.isArray(target) || target.length < 1 || target.length > 3 || !target.every((d) => Number.isInteger(d) && d >= 1)) {
        throw invalid(`targetShape must be 1 to 3 positive integers, got ${JSON.stringify(target)}`);
      }
      const from = product(input);
      const to = product(target);
      if (from !== to) throw invalid(`targetShape [${target.join(', ')}] holds ${to} values, the input (${input.join(', ')}) has ${from}`);
      return tf.layers.reshape({ ...common, targetShape: target });
    }
  }
}

/** An image layer needs one sample to be [height, width, channels]. */
export function checkImage(input: number[], invalid: Invalid): void {
  if (input.length !== 3) {
    throw invalid(`needs image input (height, width, channels), got (${input.join(', ')}); put a reshape layer first`);
  }
}

function checkWindow(input: number[], window: [number, number], field: string, padding: Padding, invalid: Invalid): void {
  checkImage(input, invalid);
  const [h = 0, w = 0] = input;
  if (padding === 'valid' && (window[0] > h || window[1] > w)) {
    throw invalid(`input is ${h}x${w}, ${field} ${formatSize(window)} does not fit (use a smaller window or padding 'same')`);
  }
}

function size2d(value: Size2d, field: string, invalid: Invalid): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((d) => Number.isInteger(d) && d >= 1)) {
    throw invalid(`${field} must be a positive integer or [height, width], got ${JSON.stringify(value)}`);
  }
  return [pair[0] ?? 1, pair[1] ?? 1];
}

function paddingOf(padding: Padding | undefined, invalid: Invalid): Padding {
  const value = padding ?? 'valid';
  if (value !== 'valid' && value !== 'same') throw invalid(`padding must be 'valid' or 'same', got '${String(value)}'`);
  return value;
}

/** 3 for [3, 3] (as Keras users write it), 3x2 otherwise. */
function formatSize([h, w]: [number, number]): string {
  return h === w ? String(h) : `${h}x${w}`;
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
