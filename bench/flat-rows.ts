/** Rows (arrays or typed-array views) copied into one float32 array, row after row; each must hold `width` values. */
export function flatRows(rows: readonly ArrayLike<number>[], width: number): Float32Array {
  const flat = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    if (row.length !== width) throw new Error(`row ${r} has ${row.length} values, expected ${width}`);
    flat.set(row, r * width);
  });
  return flat;
}
