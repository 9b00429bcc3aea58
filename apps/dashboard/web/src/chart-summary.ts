import type { ChartOption } from './chart.js';
import { isRecord } from './format.js';

/** An axis in brief: its type ('value', 'log', 'category'), title, and range when the option fixes one. */
export interface AxisSummary {
  type?: string;
  name?: string;
  min?: number;
  max?: number;
}

/** One drawn series in brief: its name, how many points and the y value of its last point. */
export interface SeriesSummary {
  name: string;
  points: number;
  last: number | null;
}

/**
 * What a chart draws, in brief, from the option it is given (set with notMerge, so the option
 * is what ECharts draws): its first x and y axes and each series. Exposed as data attributes,
 * for tests and for tools that read the page.
 */
export function summarizeOption(option: ChartOption): { x: AxisSummary; y: AxisSummary; series: SeriesSummary[] } {
  const series: unknown[] = Array.isArray(option['series']) ? option['series'] : [];
  return {
    x: axis(option['xAxis']),
    y: axis(option['yAxis']),
    series: series.filter(isRecord).map((s) => {
      const data: unknown[] = Array.isArray(s['data']) ? s['data'] : [];
      return { name: typeof s['name'] === 'string' ? s['name'] : '', points: data.length, last: lastY(data.at(-1)) };
    }),
  };
}

function axis(value: unknown): AxisSummary {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (!isRecord(first)) return {};
  const text = (key: string): { [k: string]: string } => (typeof first[key] === 'string' ? { [key]: first[key] } : {});
  const num = (key: string): { [k: string]: number } => (typeof first[key] === 'number' ? { [key]: first[key] } : {});
  return { ...text('type'), ...text('name'), ...num('min'), ...num('max') };
}

/** A point's y: the second of [x, y], or the value itself. */
function lastY(point: unknown): number | null {
  const y: unknown = Array.isArray(point) ? point[1] : point;
  return typeof y === 'number' ? y : null;
}
