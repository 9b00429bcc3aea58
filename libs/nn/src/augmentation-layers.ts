import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from './mulberry32.js';

/*
 * Keras' RandomFlip and RandomTranslation as tfjs layers whose draws replay exactly. tfjs 4.22
 * has neither (its preprocessing layers draw from Math.random). Each layer holds a seed that the
 * training loop replaces before every batch, as it does dropout's (train-loop.ts); the per-image
 * draws come from that seed in plain JavaScript, and the pixels move by one 0/1 matrix product per axis,
 * so the same seed gives the same images bit for bit on every backend, with gradients defined
 * (matMul, transpose) should the layer sit after trainable ones. In inference (evaluate,
 * predict) they are the identity, and a saved model leaves them out (model-artifacts.ts).
 */

type Shape = (number | null)[];
type LayerArgs = { name?: string; inputShape?: number[]; batchInputShape?: Shape; trainable?: boolean; dtype?: 'float32' };
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/** A layer whose `seed` the training loop replaces before every batch. */
abstract class SeededAugmentation extends tf.layers.Layer {
  /** Seed of the next training call's draws; a positive integer. */
  seed: number;

  constructor(args: LayerArgs & { seed?: number }) {
    super(args);
    this.seed = args.seed ?? 1;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!x || x.rank !== 4) {
      throw new Error(`${this.getClassName()} needs images [batch, height, width, channels], got shape [${x?.shape.join(', ') ?? ''}]`);
    }
    if (kwargs['training'] !== true) return x;
    const [batch = 0, height = 0, width = 0] = x.shape;
    const random = mulberry32(this.seed);
    const rows = new Int32Array(batch * height);
    const cols = new Int32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      const [dy, dx, flipV, flipH] = this.draw(random, height, width);
      for (let i = 0; i < height; i++) rows[b * height + i] = source(flipV ? height - 1 - i : i, dy, height);
      for (let j = 0; j < width; j++) cols[b * width + j] = source(flipH ? width - 1 - j : j, dx, width);
    }
    return remapImages(x as tf.Tensor4D, rows, cols);
  }

  /** One image's shift [dy, dx] and flips [vertical, horizontal]. */
  protected abstract draw(random: () => number, height: number, width: number): [number, number, boolean, boolean];
}

/** The source row (or column) of output position `i` after a shift by `d`; -1 when it falls outside (zeros fill in). */
function source(i: number, d: number, size: number): number {
  const from = i - d;
  return from >= 0 && from < size ? from : -1;
}

/**
 * out[b, i, j] = x[b, rows[b, i], cols[b, j]], zero where an index is -1. Done as two batched
 * products with 0/1 selection matrices, which wasm runs and differentiates (its gather has no
 * gradient kernel); each output value is one input value times 1 plus zeros, so it is exact.
 */
function remapImages(x: tf.Tensor4D, rows: Int32Array, cols: Int32Array): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width, channels] = x.shape;
    const byRow = tf.matMul(selection(rows, batch, height), tf.reshape(x, [batch, height, width * channels]));
    const columnsFirst = tf.transpose(tf.reshape(byRow, [batch, height, width, channels]), [0, 2, 1, 3]);
    const byColumn = tf.matMul(selection(cols, batch, width), tf.reshape(columnsFirst, [batch, width, height * channels]));
    return tf.transpose(tf.reshape(byColumn, [batch, width, height, channels]), [0, 2, 1, 3]);
  });
}

/** [batch, size, size] with a 1 at (b, i, index[b * size + i]) wherever that index is not -1. */
function selection(index: Int32Array, batch: number, size: number): tf.Tensor3D {
  const values = new Float32Array(batch * size * size);
  index.forEach((from, k) => {
    if (from >= 0) values[k * size + from] = 1;
  });
  return tf.tensor3d(values, [batch, size, size]);
}

/** Keras `RandomFlip`: each axis the mode names is flipped with probability 1/2, per image. */
export class RandomFlip extends SeededAugmentation {
  static readonly className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(args: LayerArgs & { seed?: number; mode?: FlipMode }) {
    super(args);
    this.mode = args.mode ?? 'horizontal_and_vertical';
  }

  protected draw(random: () => number): [number, number, boolean, boolean] {
    // Horizontal first, then vertical: a mode's draws do not depend on the other axis.
    const flipH = this.mode !== 'vertical' && random() < 0.5;
    const flipV = this.mode !== 'horizontal' && random() < 0.5;
    return [0, 0, flipV, flipH];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}

/**
 * Keras `RandomTranslation` with fill_mode 'constant' and interpolation 'nearest': whole-pixel
 * shifts drawn uniformly from [-round(factor * size), round(factor * size)], zeros filling in.
 */
export class RandomTranslation extends SeededAugmentation {
  static readonly className = 'RandomTranslation';
  readonly heightFactor: number;
  readonly widthFactor: number;

  constructor(args: LayerArgs & { seed?: number; heightFactor: number; widthFactor: number }) {
    super(args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
  }

  protected draw(random: () => number, height: number, width: number): [number, number, boolean, boolean] {
    const shift = (factor: number, size: number): number => {
      const most = Math.round(factor * size);
      return Math.floor(random() * (2 * most + 1)) - most;
    };
    const dy = shift(this.heightFactor, height);
    return [dy, shift(this.widthFactor, width), false, false];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor, fillMode: 'constant' };
  }
}

// Registered so that tfjs can read a topology that names them; trainyard's saved models leave them out.
tf.serialization.registerClass(RandomFlip);
tf.serialization.registerClass(RandomTranslation);

export const AUGMENTATION_CLASS_NAMES: ReadonlySet<string> = new Set([RandomFlip.className, RandomTranslation.className]);

/** Layers whose `seed` the training loop replaces before every batch: dropout and the augmentations. */
export function isSeededPerBatch(layer: tf.layers.Layer): boolean {
  const name = layer.getClassName();
  return name === 'Dropout' || AUGMENTATION_CLASS_NAMES.has(name);
}
