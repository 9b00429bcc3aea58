/** The slider's range: TensorBoard's (0 draws the raw curve; 0.99 averages over about 100 epochs). */
export const MAX_SMOOTHING = 0.99;

/**
 * TensorBoard's scalar smoothing: an exponential moving average debiased like Adam's moments
 * (divided by 1 - weight^n), so the first points are not pulled towards 0. A value that is not
 * finite (NaN, Infinity) is kept as it is and does not enter the average. A constant series is
 * returned unchanged: its average would differ from it only by rounding.
 */
export function smoothCurve(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight <= MAX_SMOOTHING)) throw new RangeError(`smoothing weight must be a number from 0 to ${MAX_SMOOTHING}, got ${weight}`);
  const finite = values.filter(Number.isFinite);
  if (weight === 0 || finite.every((v) => v === finite[0])) return [...values];
  let average = 0;
  let count = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    average = average * weight + (1 - weight) * value;
    count += 1;
    return average / (1 - weight ** count);
  });
}
