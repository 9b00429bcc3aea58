/**
 * Rows of numbers as views into one typed array: row i is `values[i * width, (i + 1) * width)`.
 * Image datasets and the model's inputs are held this way: a byte or a float32 per value in
 * one buffer, instead of a JavaScript array per row (8 bytes per value and an object each),
 * which is what lets full MNIST be loaded, scaled and trained on in a fraction of a GiB.
 * Views share the buffer: rows are read, never written.
 */
export function rowViews<T extends Uint8Array | Float32Array>(values: T, width: number): T[] {
  if (!Number.isInteger(width) || width <= 0 || values.length % width !== 0) {
    throw new RangeError(`${values.length} values do not split into rows of ${width}`);
  }
  const rows: T[] = [];
  for (let at = 0; at < values.length; at += width) rows.push(values.subarray(at, at + width) as T);
  return rows;
}
