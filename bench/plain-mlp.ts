/**
 * A multilayer perceptron trained in plain JavaScript: no tensor library, Float32Array weights and
 * activations, ReLU hidden layers, a linear output, MSE loss, plain SGD on mini-batches.
 * Benches train it beside tfjs to show the arithmetic floor: the same forward pass, backward
 * pass and update with none of a tensor library's per-op overhead (op dispatch, tape, memory
 * bookkeeping). It is a yardstick, not a product: no metrics, no validation, no other losses.
 *
 * Storage is float32 like tfjs' tensors (weights, activations, deltas). Arithmetic is in JS
 * doubles, rounded to float32 where it is stored: the forward pass after every multiply-add
 * (it accumulates in the float32 output row), the backward pass's sums once at the end.
 */
import { mulberry32, seededPermutation } from '@trainyard/nn';
import { flatRows } from './flat-rows.js';

/** Weights of an MLP with layer sizes `sizes` (inputs first): kernel l is [sizes[l], sizes[l+1]] row-major. */
export interface MlpWeights {
  sizes: readonly number[];
  kernels: Float32Array[];
  biases: Float32Array[];
}

export interface PlainFitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Uniform [0, 1) for the per-epoch shuffle (see seededPermutation). */
  random: () => number;
}

/** Rows as the benches hold them: x [n][inputs], y [n][outputs]. */
export interface PlainRows {
  x: readonly ArrayLike<number>[];
  y: readonly ArrayLike<number>[];
}

/** The loop's own generator and batch order, so the same seed gives the same draws and batches. */
export { mulberry32, seededPermutation };

/** Keras' defaults for Dense: Glorot uniform kernels (limit sqrt(6 / (fanIn + fanOut))), zero biases. */
export function glorotUniform(sizes: readonly number[], random: () => number): MlpWeights {
  if (sizes.length < 2 || sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new Error(`layer sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
  }
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l] as number;
    const fanOut = sizes[l + 1] as number;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < kernel.length; i++) kernel[i] = (2 * random() - 1) * limit;
    kernels.push(kernel);
    biases.push(new Float32Array(fanOut));
  }
  return { sizes: [...sizes], kernels, biases };
}

export class PlainMlp {
  private readonly sizes: readonly number[];
  private readonly kernels: Float32Array[];
  private readonly biases: Float32Array[];

  /** Copies `weights`, so the same initial weights can start another trainer too. */
  constructor(weights: MlpWeights) {
    this.sizes = [...weights.sizes];
    this.kernels = weights.kernels.map((k) => Float32Array.from(k));
    this.biases = weights.biases.map((b) => Float32Array.from(b));
    for (let l = 0; l < this.kernels.length; l++) {
      const fanIn = this.sizes[l] ?? 0;
      const fanOut = this.sizes[l + 1] ?? 0;
      if (this.kernels[l]?.length !== fanIn * fanOut || this.biases[l]?.length !== fanOut) {
        throw new Error(`layer ${l}: kernel or bias does not match sizes [${this.sizes.join(', ')}]`);
      }
    }
    if (this.kernels.length !== this.sizes.length - 1 || this.biases.length !== this.kernels.length) {
      throw new Error(`${this.kernels.length} kernels and ${this.biases.length} biases for sizes [${this.sizes.join(', ')}]`);
    }
  }

  /**
   * Mini-batch SGD over a fresh seeded permutation each epoch. Returns each epoch's training
   * loss as Keras reports it: the mean over the epoch's rows of the squared error computed
   * before each batch's update. The rows are copied once into flat float32 arrays.
   */
  fit(rows: PlainRows, options: PlainFitOptions): number[] {
    const { batchSize, learningRate } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    const n = rows.x.length;
    const inputs = this.sizes[0] as number;
    const outputs = this.sizes.at(-1) as number;
    const x = flatRows(rows.x, inputs);
    const y = flatRows(rows.y, outputs);
    const layers = this.kernels.length;
    // activations[0] is the batch's input rows, activations[l + 1] the output of layer l;
    // deltas[l] is dLoss/d(pre-activation of layer l - 1) for the same rows. Allocated once.
    const activations = this.sizes.map((size) => new Float32Array(batchSize * size));
    const deltas = this.sizes.map((size) => new Float32Array(batchSize * size));
    const losses: number[] = [];
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = seededPermutation(n, options.random);
      let squaredErrors = 0;
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const input = activations[0] as Float32Array;
        for (let r = 0; r < size; r++) {
          const row = order[start + r] as number;
          input.set(x.subarray(row * inputs, (row + 1) * inputs), r * inputs);
        }
        for (let l = 0; l < layers; l++) this.forwardLayer(l, activations, size);

        // MSE over the batch's size x outputs values: d/dp (p - t)^2 / count = 2 (p - t) / count.
        const prediction = activations[layers] as Float32Array;
        const delta = deltas[layers] as Float32Array;
        const scale = 2 / (size * outputs);
        for (let r = 0; r < size; r++) {
          const row = order[start + r] as number;
          for (let o = 0; o < outputs; o++) {
            const error = (prediction[r * outputs + o] as number) - (y[row * outputs + o] as number);
            squaredErrors += error * error;
            delta[r * outputs + o] = scale * error;
          }
        }
        for (let l = layers - 1; l >= 0; l--) this.backwardLayer(l, activations, deltas, size, learningRate);
      }
      losses.push(squaredErrors / (n * outputs));
    }
    return losses;
  }

  /** The network's outputs for `x` (inference only). */
  predict(x: readonly ArrayLike<number>[]): number[][] {
    const activations = this.sizes.map((size) => new Float32Array(x.length * size));
    (activations[0] as Float32Array).set(flatRows(x, this.sizes[0] as number));
    for (let l = 0; l < this.kernels.length; l++) this.forwardLayer(l, activations, x.length);
    const outputs = this.sizes.at(-1) as number;
    const out = activations.at(-1) as Float32Array;
    return Array.from({ length: x.length }, (_, r) => Array.from(out.subarray(r * outputs, (r + 1) * outputs)));
  }

  /** activations[l + 1] = act(activations[l] . kernel[l] + bias[l]) for the first `size` rows; ReLU except on the last layer. */
  private forwardLayer(l: number, activations: Float32Array[], size: number): void {
    const fanIn = this.sizes[l] as number;
    const fanOut = this.sizes[l + 1] as number;
    const kernel = this.kernels[l] as Float32Array;
    const bias = this.biases[l] as Float32Array;
    const a = activations[l] as Float32Array;
    const z = activations[l + 1] as Float32Array;
    const relu = l + 1 < this.kernels.length;
    for (let r = 0; r < size; r++) {
      const zRow = r * fanOut;
      z.set(bias, zRow);
      // Row of a times the kernel, kernel read row by row (contiguous) rather than by column.
      for (let i = 0; i < fanIn; i++) {
        const ai = a[r * fanIn + i] as number;
        const kRow = i * fanOut;
        for (let o = 0; o < fanOut; o++) z[zRow + o] = (z[zRow + o] as number) + ai * (kernel[kRow + o] as number);
      }
      if (relu) for (let o = 0; o < fanOut; o++) if ((z[zRow + o] as number) < 0) z[zRow + o] = 0;
    }
  }

  /**
   * Given deltas[l + 1] (dLoss/d(pre-activation) of layer l), passes the delta to the layer
   * below with the kernel as it was in the forward pass, then applies this layer's SGD step.
   * The kernel's gradient does not depend on the kernel itself, so updating it right after
   * the delta below is computed gives the same result as computing every gradient first.
   */
  private backwardLayer(l: number, activations: Float32Array[], deltas: Float32Array[], size: number, learningRate: number): void {
    const fanIn = this.sizes[l] as number;
    const fanOut = this.sizes[l + 1] as number;
    const kernel = this.kernels[l] as Float32Array;
    const bias = this.biases[l] as Float32Array;
    const a = activations[l] as Float32Array;
    const delta = deltas[l + 1] as Float32Array;
    if (l > 0) {
      // ReLU's derivative: the layer below's output is 0 exactly where its pre-activation was <= 0.
      const below = deltas[l] as Float32Array;
      for (let r = 0; r < size; r++) {
        for (let i = 0; i < fanIn; i++) {
          if ((a[r * fanIn + i] as number) <= 0) {
            below[r * fanIn + i] = 0;
            continue;
          }
          let sum = 0;
          for (let o = 0; o < fanOut; o++) sum += (delta[r * fanOut + o] as number) * (kernel[i * fanOut + o] as number);
          below[r * fanIn + i] = sum;
        }
      }
    }
    for (let i = 0; i < fanIn; i++) {
      for (let o = 0; o < fanOut; o++) {
        let gradient = 0;
        for (let r = 0; r < size; r++) gradient += (a[r * fanIn + i] as number) * (delta[r * fanOut + o] as number);
        kernel[i * fanOut + o] = (kernel[i * fanOut + o] as number) - learningRate * gradient;
      }
    }
    for (let o = 0; o < fanOut; o++) {
      let gradient = 0;
      for (let r = 0; r < size; r++) gradient += delta[r * fanOut + o] as number;
      bias[o] = (bias[o] as number) - learningRate * gradient;
    }
  }
}
