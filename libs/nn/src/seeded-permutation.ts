/** Fisher-Yates shuffle of 0..n-1 driven by `random` (uniform [0, 1)), so a seed fixes the batch order. */
export function seededPermutation(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    // Clamp guards a generator that returns exactly 1 by mistake.
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}
