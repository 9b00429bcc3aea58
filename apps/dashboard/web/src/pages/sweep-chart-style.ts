/*
 * The sweep page's colours. The best trial is marked in green with a star and a bold line: a
 * positive signal that differs from the other trials' blues in hue, lightness and shape, so it
 * reads for every kind of colour vision (red and pink, which read as errors, are kept out).
 */

/** The best trial: the UI's success green (.ok, SUCCEEDED). */
export const BEST_COLOR = '#1b7a3a';
/** The other trials: the UI's accent blue. */
export const TRIAL_COLOR = '#2458c6';
/** Means per configuration: near-black dashes across the points they summarize. */
export const MEAN_COLOR = '#1d2430';

/** A five-pointed star as an ECharts symbol path (outer radius 50, inner 20, point up). */
export const STAR_SYMBOL = `path://${Array.from({ length: 10 }, (_, i) => {
  const radius = i % 2 === 0 ? 50 : 20;
  const angle = -Math.PI / 2 + (i * Math.PI) / 5;
  return `${i === 0 ? 'M' : 'L'}${(50 + radius * Math.cos(angle)).toFixed(1)} ${(50 + radius * Math.sin(angle)).toFixed(1)}`;
}).join(' ')} Z`;

// Light to dark blue: ordered by lightness, so the order of a parameter's values reads without hue.
const RAMP_FROM = [143, 179, 232];
const RAMP_TO = [13, 43, 110];

/** The blue at `t` (0 to 1) from light to dark, e.g. a trial's parameter rank among the sweep's values. */
export function rampColor(t: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const channel = (i: number): string => Math.round((RAMP_FROM[i] ?? 0) + ((RAMP_TO[i] ?? 0) - (RAMP_FROM[i] ?? 0)) * clamped).toString(16).padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}
