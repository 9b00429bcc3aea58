/** Keras' order: loss first, then the metrics, then their validation twins; unknown names after known ones, by name. */
const METRIC_ORDER = ['loss', 'accuracy', 'macro_f1', 'mae', 'mse', 'rmse', 'r2'];

function rank(name: string): number {
  const validation = name.startsWith('val_');
  const known = METRIC_ORDER.indexOf(validation ? name.slice(4) : name);
  return (validation ? 100 : 0) + (known >= 0 ? known : METRIC_ORDER.length);
}

/** Sorts metric names the way people read them (see METRIC_ORDER). */
export function compareMetricNames(a: string, b: string): number {
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The same entries in reading order. PostgreSQL's jsonb stores object keys in its own order
 * (shortest first), so metrics come back as {r2, mae, loss, ...}.
 */
export function orderMetrics<T>(metrics: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => compareMetricNames(a, b)));
}
