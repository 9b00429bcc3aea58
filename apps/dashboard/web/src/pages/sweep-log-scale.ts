/** A log axis needs values above 0 (a learning rate, a loss; not an r2, which can be negative). */
export function logAllowed(values: readonly number[]): boolean {
  return values.length > 0 && values.every((v) => Number.isFinite(v) && v > 0);
}

/**
 * Whether an axis starts in log scale: when its values span two decades or more (0.001 to 0.1,
 * a typical learning-rate grid), where a linear axis squeezes all but the largest against zero.
 */
export function logByDefault(values: readonly number[]): boolean {
  if (!logAllowed(values)) return false;
  return Math.max(...values) / Math.min(...values) >= LOG_SPAN;
}

/** A factor of 100 (with room for 0.1 / 0.001 = 100.00000000000001 and its like). */
const LOG_SPAN = 100 * (1 - 1e-9);
