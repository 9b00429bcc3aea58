import * as tf from '@tensorflow/tfjs';

/**
 * Training rows read once out of their tensors (one per trial of a pack, or one), from which
 * every batch is copied in JavaScript and uploaded as one tensor. A row copy is exact, and for
 * the small batches of small networks it is cheaper than a gather kernel: on wasm a 32-row
 * gather of 8 features took 30 us against 11 us for the copy, 512 rows 258 us against 38 us.
 */
export class RowBlock {
  private constructor(
    private readonly values: Float32Array,
    /** Rows per tensor. */
    private readonly n: number,
    /** A row's shape without its first axis. */
    readonly shape: number[],
  ) {}

  /** Float32 tensors of the same shape [n, ...shape]. */
  static of(tensors: tf.Tensor[]): RowBlock {
    const first = tensors[0];
    if (!first) throw new Error('a row block needs at least one tensor');
    if (tensors.some((t) => t.dtype !== 'float32')) throw new Error('a row block holds float32 rows');
    const n = first.shape[0] ?? 0;
    const width = rowWidth(first.shape);
    const values = new Float32Array(tensors.length * n * width);
    tensors.forEach((t, a) => values.set(t.dataSync() as Float32Array, a * n * width));
    return new RowBlock(values, n, first.shape.slice(1));
  }

  /** Rows already in one Float32Array, [n, ...shape] row-major: held as they are, not copied. */
  static fromValues(values: Float32Array, shape: number[]): RowBlock {
    const width = rowWidth([0, ...shape]);
    if (width === 0 || values.length % width !== 0) throw new Error(`${values.length} values are not rows of shape [${shape.join(', ')}]`);
    return new RowBlock(values, values.length / width, shape);
  }

  /** Rows per tensor. */
  get rowCount(): number {
    return this.n;
  }

  /** A block of only the tensors at `tensors` (indices into those it was made of), in that order. */
  pick(tensors: number[]): RowBlock {
    const size = this.n * rowWidth([0, ...this.shape]);
    const values = new Float32Array(tensors.length * size);
    tensors.forEach((t, a) => values.set(this.values.subarray(t * size, (t + 1) * size), a * size));
    return new RowBlock(values, this.n, this.shape);
  }

  /** Rows `rows` of the only tensor: [rows.length, ...shape]. */
  rows(rows: Int32Array): tf.Tensor {
    return this.batch([rows], ['row', 'feature']);
  }

  /**
   * Rows batches[a] of tensor a (every batch of one size) as one tensor whose axes are `axes`
   * in that order: 'trial' (the tensor, left out for one), 'row' (in the batch), 'feature' (a
   * row's values; its own shape when it comes last, else rows must be vectors). The default is
   * [trials, batch, ...shape].
   */
  batch(batches: Int32Array[], axes: readonly Axis[] = ['trial', 'row', 'feature']): tf.Tensor {
    const width = rowWidth([0, ...this.shape]);
    const featuresLast = axes[axes.length - 1] === 'feature';
    if (!featuresLast && this.shape.length !== 1) throw new Error(`rows of shape [${this.shape.join(', ')}] keep their values last`);
    const sizes: Record<Axis, number> = { trial: batches.length, row: batches[0]?.length ?? 0, feature: width };
    if (!axes.includes('trial') && sizes.trial !== 1) throw new Error('a batch of several tensors needs a trial axis');
    const stride: Record<Axis, number> = { trial: 0, row: 0, feature: 0 };
    let step = 1;
    for (const axis of [...axes].reverse()) {
      stride[axis] = step;
      step *= sizes[axis];
    }
    const out = new Float32Array(sizes.trial * sizes.row * width);
    batches.forEach((rows, a) => {
      const base = a * this.n;
      for (let i = 0; i < sizes.row; i++) {
        const from = (base + (rows[i] as number)) * width;
        const to = a * stride.trial + i * stride.row;
        for (let j = 0; j < width; j++) out[to + j * stride.feature] = this.values[from + j] as number;
      }
    });
    const shape = axes.flatMap((axis) => (axis === 'feature' ? (featuresLast ? this.shape : [width]) : [sizes[axis]]));
    return tf.tensor(out, shape, 'float32');
  }
}

/** An axis of a batch (see RowBlock.batch). */
export type Axis = 'trial' | 'row' | 'feature';

function rowWidth(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}
