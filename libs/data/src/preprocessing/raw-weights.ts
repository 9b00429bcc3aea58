import type { PreprocessorState } from './preprocessor-state.js';
import type { ScalerState } from './scaler.js';

/** A dense layer's trained parameters: kernel is [inputs][units], as Keras' get_weights()[0]. */
export interface DenseParams {
  kernel: number[][];
  bias?: number[];
}

/** Weights and bias of `y = x · kernel + bias` on the raw (unscaled) inputs and target. */
export interface RawWeights {
  /** [feature][target], in the dataset's own units. */
  kernel: number[][];
  bias: number[];
}

/** Per-column offset c and scale s of the scaler's affine map x_s = (x - c) / s (as scalerFromState builds it). */
function affine(state: ScalerState, width: number): { offset: number[]; scale: number[] } | undefined {
  switch (state.kind) {
    case 'none':
      return { offset: new Array<number>(width).fill(0), scale: new Array<number>(width).fill(1) };
    case 'minmax':
      if (state.min.length !== width || state.max.length !== width) return undefined;
      return {
        offset: [...state.min],
        scale: state.min.map((min, c) => {
          const range = (state.max[c] ?? min) - min;
          return range === 0 ? 1 : range;
        }),
      };
    case 'standard':
      if (state.mean.length !== width || state.std.length !== width) return undefined;
      return { offset: [...state.mean], scale: state.std.map((s) => (s === 0 ? 1 : s)) };
    case 'pixels':
      return { offset: new Array<number>(width).fill(0), scale: new Array<number>(width).fill(state.max) };
  }
}

function scalerWords(state: ScalerState): string {
  switch (state.kind) {
    case 'none':
      return 'unscaled';
    case 'minmax':
      return 'min-max scaled';
    case 'standard':
      return 'standardized';
    case 'pixels':
      return `pixel (/ ${state.max})`;
  }
}

/**
 * What the model's own weights apply to, e.g. "on min-max scaled inputs" or
 * "on standardized inputs, standardized target"; "on the raw inputs" when nothing is scaled.
 */
export function describeWeightScale(state: PreprocessorState): string {
  const oneHot = state.version === 2 && state.columns.some((c) => c.type !== 'number');
  const inputs = `${scalerWords(state.features)} inputs${oneHot ? ' (categories one-hot)' : ''}`;
  const target = state.task === 'regression' && state.target.kind !== 'none' ? `, ${scalerWords(state.target)} target` : '';
  if (state.features.kind === 'none' && !oneHot && !target) return 'on the raw inputs';
  return `on ${inputs}${target}`;
}

/**
 * Composes a chain of dense layers without activation (linear) into the one dense layer they
 * equal: x W1 + b1 then (.) W2 + b2 is x (W1 W2) + (b1 W2 + b2). Undefined when shapes disagree.
 */
export function composeLinearLayers(layers: readonly DenseParams[]): DenseParams | undefined {
  const first = layers[0];
  if (!first) return undefined;
  let kernel = first.kernel.map((row) => [...row]);
  let bias = first.bias ? [...first.bias] : new Array<number>(kernel[0]?.length ?? 0).fill(0);
  for (const layer of layers.slice(1)) {
    const units = layer.kernel[0]?.length ?? 0;
    if (layer.kernel.length !== bias.length || layer.kernel.some((row) => row.length !== units)) return undefined;
    const times = (vector: number[]): number[] =>
      Array.from({ length: units }, (_, k) => vector.reduce((sum, v, i) => sum + v * (layer.kernel[i]?.[k] ?? 0), 0));
    kernel = kernel.map(times);
    bias = times(bias).map((v, k) => v + (layer.bias?.[k] ?? 0));
  }
  return { kernel, bias };
}

/**
 * The weights of a linear model on the scaled data, re-expressed on the raw inputs and target.
 * With x_s = (x - c) / s per feature and y = y_s * t + d per target,
 * w_raw[j][k] = W[j][k] * t_k / s_j and b_raw[k] = (b_k - Σ_j W[j][k] c_j / s_j) * t_k + d_k.
 * Only meaningful for one dense layer with linear activation (or a chain of them, composed
 * first): the caller checks that. Undefined for classification, for a table with a category or
 * boolean column (one-hot columns have no single raw unit), or when the shapes do not match.
 */
export function rawInputWeights(state: PreprocessorState, layer: DenseParams): RawWeights | undefined {
  if (state.task !== 'regression') return undefined;
  if (state.version === 2 && state.columns.some((c) => c.type !== 'number')) return undefined;
  const inputs = state.featureNames.length;
  const outputs = state.targetNames.length;
  if (layer.kernel.length !== inputs || layer.kernel.some((row) => row.length !== outputs)) return undefined;
  if (layer.bias && layer.bias.length !== outputs) return undefined;
  const x = affine(state.features, inputs);
  const y = affine(state.target, outputs);
  if (!x || !y) return undefined;
  const kernel = layer.kernel.map((row, j) => row.map((w, k) => (w * (y.scale[k] ?? 1)) / (x.scale[j] ?? 1)));
  const bias = Array.from({ length: outputs }, (_, k) => {
    const shift = layer.kernel.reduce((sum, row, j) => sum + ((row[k] ?? 0) * (x.offset[j] ?? 0)) / (x.scale[j] ?? 1), 0);
    return ((layer.bias?.[k] ?? 0) - shift) * (y.scale[k] ?? 1) + (y.offset[k] ?? 0);
  });
  if (![...kernel.flat(), ...bias].every(Number.isFinite)) return undefined;
  return { kernel, bias };
}
