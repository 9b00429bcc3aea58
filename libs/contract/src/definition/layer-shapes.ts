import type { ExperimentDefinition } from './experiment-definition.schema.js';

type Layer = ExperimentDefinition['model']['layers'][number];

/** One layer's output for one sample, as Keras computes it. */
export interface LayerShape {
  /** Without the batch axis: [16], [26, 26, 32]. */
  shape: number[];
  /** Weights and biases (batch normalization's moving statistics included), as Keras counts them. */
  params: number;
  /**
   * Float values one sample keeps for the backward pass: the output, and for layers with an
   * activation or a normalization the values before it too (server-policy's estimate).
   */
  activations: number;
}

/** Why a layer cannot take its input: the field to name under `model.layers[index]` and what is wrong. */
export interface LayerShapeProblem {
  index: number;
  /** A field of the layer (`poolSize`), or undefined for the layer itself. */
  field?: string;
  message: string;
}

export type LayerShapes = { ok: true; layers: LayerShape[] } | { ok: false; problem: LayerShapeProblem; layers: LayerShape[] };

const IMAGE_LAYERS: ReadonlySet<Layer['type']> = new Set(['conv2d', 'maxPooling2d', 'averagePooling2d', 'globalAveragePooling2d', 'randomFlip', 'randomTranslation', 'randomRotation', 'randomZoom']);

/** Does this layer need images [height, width, channels] as its input? */
export function needsImageInput(layer: Layer): boolean {
  return IMAGE_LAYERS.has(layer.type);
}

/**
 * Each layer's output shape and parameter count from one sample's input shape, Keras' rules
 * (channels last): 'valid' windows give floor((n - k) / s) + 1, 'same' ceil(n / s). Stops at
 * the first layer that cannot take its input and says why.
 */
export function layerShapes(layers: readonly Layer[], input: number[]): LayerShapes {
  const out: LayerShape[] = [];
  let shape = input;
  for (const [index, layer] of layers.entries()) {
    const step = shapeOf(layer, shape);
    if ('message' in step) return { ok: false, problem: { index, ...step }, layers: out };
    out.push(step);
    shape = step.shape;
  }
  return { ok: true, layers: out };
}

function shapeOf(layer: Layer, input: number[]): LayerShape | Omit<LayerShapeProblem, 'index'> {
  const size = product(input);
  const last = input[input.length - 1] ?? 1;
  const same = (params = 0): LayerShape => ({ shape: input, params, activations: size });
  if (needsImageInput(layer) && input.length !== 3) {
    return { message: `${layer.type} needs image input (height, width, channels)` };
  }
  switch (layer.type) {
    case 'dense': {
      const shape = [...input.slice(0, -1), layer.units];
      return { shape, params: last * layer.units + (layer.useBias ? layer.units : 0), activations: 2 * product(shape) };
    }
    case 'batchNormalization':
      // gamma, beta, moving mean, moving variance per channel (the last axis).
      return { shape: input, params: 4 * last, activations: 2 * size };
    case 'dropout':
    case 'randomFlip':
    case 'randomTranslation':
    case 'randomRotation':
    case 'randomZoom':
      return same();
    case 'flatten':
      return { shape: [size], params: 0, activations: size };
    case 'reshape': {
      const target = product(layer.targetShape);
      if (target !== size) {
        return { field: 'targetShape', message: `[${layer.targetShape.join(', ')}] holds ${target} values; its input (${input.join(', ')}) has ${size}` };
      }
      return { shape: layer.targetShape, params: 0, activations: size };
    }
    case 'globalAveragePooling2d':
      return { shape: [last], params: 0, activations: last };
    case 'conv2d': {
      const spatial = windowOutput(input, layer.kernelSize, layer.strides, layer.padding, 'kernelSize', layer.type);
      if ('message' in spatial) return spatial;
      const [kh, kw] = pair(layer.kernelSize);
      const shape = [...spatial, layer.filters];
      return { shape, params: kh * kw * last * layer.filters + (layer.useBias ? layer.filters : 0), activations: 2 * product(shape) };
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const spatial = windowOutput(input, layer.poolSize, layer.strides ?? layer.poolSize, layer.padding, 'poolSize', layer.type);
      if ('message' in spatial) return spatial;
      const shape = [...spatial, last];
      return { shape, params: 0, activations: product(shape) };
    }
  }
}

type Size = number | [number, number];

function windowOutput(input: number[], window: Size, strides: Size, padding: 'valid' | 'same', field: string, type: string): number[] | Omit<LayerShapeProblem, 'index'> {
  const [h = 0, w = 0] = input;
  const [kh, kw] = pair(window);
  const [sh, sw] = pair(strides);
  if (padding === 'same') return [Math.ceil(h / sh), Math.ceil(w / sw)];
  if (kh > h || kw > w) {
    const named = kh === kw ? String(kh) : `${kh}x${kw}`;
    return { field, message: `${type} input is ${h}x${w}, ${field} ${named} does not fit: use a smaller ${field} or padding 'same'` };
  }
  return [Math.floor((h - kh) / sh) + 1, Math.floor((w - kw) / sw) + 1];
}

function pair(size: Size): [number, number] {
  return typeof size === 'number' ? [size, size] : size;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
