export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  const rounded = value.toPrecision(digits);
  // 0.99996 is `1.000`, not `1`: the zeros say it was rounded (an r2 of exactly 1 would mean a perfect fit).
  if (Number(rounded) !== value && Number.isInteger(Number(rounded)) && !rounded.includes('e')) return rounded;
  return Number(rounded).toString();
}

/** Most decimals a column of fixed-notation numbers gets while it looks for one that tells a value from a whole number. */
const MAX_DECIMALS = 8;

/**
 * Formats a column of numbers (a metric down a table) the same way: one notation for all of
 * them, scientific (`3.110e-4`, `1.491e-2`) when any value is tiny or huge, else fixed with
 * one number of decimals, enough for `digits` significant digits of the smallest value. A value
 * that is not a whole number never shows as one: 0.99996 is `0.99996`, not `1` (nor `1.0000`).
 * Missing values are `—`.
 */
export function formatColumn(values: readonly (number | null | undefined)[], digits = 4): string[] {
  const finite = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  const scientific = nonzero.some((v) => v < 1e-3 || v >= 1e5);
  const show = (value: number | null | undefined, as: (v: number) => string): string =>
    value === null || value === undefined || !Number.isFinite(value) ? '—' : as(value);
  if (scientific) return values.map((v) => show(v, (x) => x.toExponential(digits - 1)));
  if (finite.every(Number.isInteger)) return values.map((v) => show(v, String));
  const smallest = nonzero.length > 0 ? Math.min(...nonzero) : 1;
  let decimals = Math.min(MAX_DECIMALS, Math.max(0, digits - 1 - Math.floor(Math.log10(smallest))));
  const looksWhole = (v: number): boolean => !Number.isInteger(v) && Number.isInteger(Number(v.toFixed(decimals)));
  while (decimals < MAX_DECIMALS && finite.some(looksWhole)) decimals++;
  // Past MAX_DECIMALS a value that still rounds to a whole number is shown as it is.
  return values.map((v) => show(v, (x) => (looksWhole(x) ? String(x) : x.toFixed(decimals))));
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return `${date.toLocaleDateString()} ${date.toLocaleTimeString()}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** 1536 -> `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toPrecision(3))} ${units[unit]}`;
}
