import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from './mulberry32.js';

/*
 * Keras' RandomFlip, RandomTranslation, RandomRotation and RandomZoom as tfjs layers whose draws
 * replay exactly. tfjs 4.22 has none of them (its preprocessing layers draw from Math.random).
 * Each layer holds a seed that the training loop replaces before every batch, as it does
 * dropout's (train-loop.ts); the per-image draws come from that seed in plain JavaScript, and
 * every output pixel is one input pixel or zero (nearest interpolation, constant fill), so the
 * same seed gives the same images bit for bit on every backend. Flips and shifts move the
 * pixels by one 0/1 matrix product per axis; rotations and zooms by a gather whose gradient is
 * written out as a scatter (wasm has no gradient kernel for gather), so gradients are defined
 * should the layer sit after trainable ones. In inference (evaluate, predict) they are the
 * identity, and a saved model leaves them out (model-artifacts.ts).
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
    return this.augment(x as tf.Tensor4D, mulberry32(this.seed));
  }

  /** The batch, each image moved by its own draws from `random`. */
  protected abstract augment(x: tf.Tensor4D, random: () => number): tf.Tensor4D;
}

/** Flips and whole-pixel shifts: one source row per output row and one source column per output column. */
abstract class SeparableAugmentation extends SeededAugmentation {
  protected augment(x: tf.Tensor4D, random: () => number): tf.Tensor4D {
    const [batch, height, width] = x.shape;
    const rows = new Int32Array(batch * height);
    const cols = new Int32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      const [dy, dx, flipV, flipH] = this.draw(random, height, width);
      for (let i = 0; i < height; i++) rows[b * height + i] = source(flipV ? height - 1 - i : i, dy, height);
      for (let j = 0; j < width; j++) cols[b * width + j] = source(flipH ? width - 1 - j : j, dx, width);
    }
    return remapImages(x, rows, cols);
  }

  /** One image's shift [dy, dx] and flips [vertical, horizontal]. */
  protected abstract draw(random: () => number, height: number, width: number): [number, number, boolean, boolean];
}

/**
 * Rotations and zooms: one affine map per image from output pixel to input point about the
 * image's centre, as Keras' transform matrices, then the nearest input pixel or zero.
 */
abstract class AffineAugmentation extends SeededAugmentation {
  protected augment(x: tf.Tensor4D, random: () => number): tf.Tensor4D {
    const [batch, height, width] = x.shape;
    const pixels = height * width;
    const sources = new Int32Array(batch * pixels);
    const cy = (height - 1) / 2;
    const cx = (width - 1) / 2;
    for (let b = 0; b < batch; b++) {
      // input point = centre + m (output point - centre), m = [[a, b], [c, d]] on (x, y)
      const [a, bx, c, d] = this.draw(random);
      for (let i = 0; i < height; i++) {
        for (let j = 0; j < width; j++) {
          const sx = Math.round(cx + a * (j - cx) + bx * (i - cy));
          const sy = Math.round(cy + c * (j - cx) + d * (i - cy));
          const inside = sx >= 0 && sx < width && sy >= 0 && sy < height;
          sources[b * pixels + i * width + j] = inside ? b * pixels + sy * width + sx : -1;
        }
      }
    }
    return remapPixels(x, sources);
  }

  /** One image's map [a, b, c, d]: input x = a x' + b y', input y = c x' + d y', about the centre. */
  protected abstract draw(random: () => number): [number, number, number, number];
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

/**
 * out pixel k = x pixel sources[k] over the flattened [batch * height * width, channels], or zero
 * where sources[k] is -1. Its gradient adds each output pixel's gradient into its source pixel
 * (a zoom in reads a source pixel more than once), written out because wasm has no gradient
 * kernel for gather.
 */
function remapPixels(x: tf.Tensor4D, sources: Int32Array): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const pixels = batch * height * width;
  // The row after the last pixel is zeros: where -1 points.
  const index = Int32Array.from(sources, (from) => (from < 0 ? pixels : from));
  const kept = sources.reduce((n, from) => (from < 0 ? n : n + 1), 0);
  const targets = new Int32Array(kept);
  const origins = new Int32Array(kept);
  let k = 0;
  sources.forEach((from, to) => {
    if (from < 0) return;
    targets[k] = to;
    origins[k++] = from;
  });
  const remap = tf.customGrad((input) => ({
    value: tf.tidy(() => {
      const flat = tf.concat([tf.reshape(input as tf.Tensor, [pixels, channels]), tf.zeros([1, channels])]);
      return tf.reshape(tf.gather(flat, tf.tensor1d(index, 'int32')), x.shape);
    }),
    gradFunc: (dy: tf.Tensor) =>
      tf.tidy(() => {
        const moved = tf.gather(tf.reshape(dy, [pixels, channels]), tf.tensor1d(targets, 'int32'));
        return tf.reshape(tf.scatterND(tf.tensor2d(origins, [kept, 1], 'int32'), moved, [pixels, channels]), x.shape);
      }),
  }));
  return remap(x) as tf.Tensor4D;
}

/** Keras `RandomFlip`: each axis the mode names is flipped with probability 1/2, per image. */
export class RandomFlip extends SeparableAugmentation {
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
export class RandomTranslation extends SeparableAugmentation {
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

/**
 * Keras `RandomRotation` with fill_mode 'constant' and interpolation 'nearest': each image turns
 * about its centre by an angle drawn uniformly from [-factor, factor] x 2 pi (a positive angle
 * turns it counter-clockwise, as in Keras), zeros filling in.
 */
export class RandomRotation extends AffineAugmentation {
  static readonly className = 'RandomRotation';
  readonly factor: number;

  constructor(args: LayerArgs & { seed?: number; factor: number }) {
    super(args);
    this.factor = args.factor;
  }

  protected draw(random: () => number): [number, number, number, number] {
    const angle = (random() * 2 - 1) * this.factor * 2 * Math.PI;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    // Keras' rotation matrix: the output pixel (x', y') reads the input at R(angle) (x', y').
    return [cos, -sin, sin, cos];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor, fillMode: 'constant', interpolation: 'nearest' };
  }
}

/**
 * Keras `RandomZoom` with fill_mode 'constant' and interpolation 'nearest': each image is read
 * at a scale drawn uniformly from [1 - heightFactor, 1 + heightFactor] about its centre (above 1
 * zooms out, below zooms in, as in Keras), the width at its own scale from widthFactor when
 * given, else at the height's (the aspect kept); zeros fill in.
 */
export class RandomZoom extends AffineAugmentation {
  static readonly className = 'RandomZoom';
  readonly heightFactor: number;
  readonly widthFactor: number | undefined;

  constructor(args: LayerArgs & { seed?: number; heightFactor: number; widthFactor?: number }) {
    super(args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
  }

  protected draw(random: () => number): [number, number, number, number] {
    const zoomY = 1 + (random() * 2 - 1) * this.heightFactor;
    const zoomX = this.widthFactor === undefined ? zoomY : 1 + (random() * 2 - 1) * this.widthFactor;
    return [zoomX, 0, 0, zoomY];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor ?? null, fillMode: 'constant', interpolation: 'nearest' };
  }
}

// Registered so that tfjs can read a topology that names them; trainyard's saved models leave them out.
tf.serialization.registerClass(RandomFlip);
tf.serialization.registerClass(RandomTranslation);
tf.serialization.registerClass(RandomRotation);
tf.serialization.registerClass(RandomZoom);

export const AUGMENTATION_CLASS_NAMES: ReadonlySet<string> = new Set([RandomFlip.className, RandomTranslation.className, RandomRotation.className, RandomZoom.className]);

/** Layers whose `seed` the training loop replaces before every batch: dropout and the augmentations. */
export function isSeededPerBatch(layer: tf.layers.Layer): boolean {
  const name = layer.getClassName();
  return name === 'Dropout' || AUGMENTATION_CLASS_NAMES.has(name);
}
