import { compareMetricNames, type EpochView, type SweepDetailResponse, type SweepTrialView } from '@trainyard/contract';
import { TEXT_TOOLTIP, type ChartOption } from '../chart.js';
import { formatNumber } from '../format.js';
import { BEST_COLOR, rampColor, TRIAL_COLOR } from './sweep-chart-style.js';
import { paramScale } from './sweep-scatter.js';
import { paramText } from './sweep-values.js';

/** At most this many trials' epochs are read (one request each) and drawn. */
export const CURVE_LIMIT = 50;

export interface CurvePick {
  /** The trials whose curves are drawn. */
  trials: SweepTrialView[];
  /** How many trials have curves (every trial that started). */
  total: number;
}

/**
 * The trials whose curves are drawn: those that started, the best first, then the closest to the
 * best value of the sweep's metric (the best ones, whichever way the metric goes), then the rest
 * (running, failed) in the sweep's order; at most `limit`.
 */
export function pickCurveTrials(sweep: SweepDetailResponse, limit = CURVE_LIMIT): CurvePick {
  const best = sweep.best;
  const started = sweep.trials.filter((t) => t.status !== 'QUEUED');
  const distance = (t: SweepTrialView): number => {
    if (!best) return Infinity;
    if (t.runId === best.runId) return -1;
    const value = t.testMetrics?.[best.metric];
    return value === undefined ? Infinity : Math.abs(value - best.value);
  };
  const ranked = started.map((trial, index) => ({ trial, index, distance: distance(trial) }));
  // Infinity - Infinity is NaN, which is falsy: unscored trials keep the sweep's order.
  ranked.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return { trials: ranked.slice(0, limit).map((r) => r.trial), total: started.length };
}

/** The per-epoch metrics found in the curves (loss, mae, val_loss, ...), in Keras' order. */
export function epochKeys(curves: Iterable<readonly EpochView[]>): string[] {
  const keys = new Set<string>();
  for (const epochs of curves) for (const epoch of epochs) for (const key of Object.keys(epoch.metrics)) keys.add(key);
  return [...keys].sort(compareMetricNames);
}

/** Every value of `key` over the curves: what decides whether a log y axis is possible and its default. */
export function curveValues(curves: Iterable<readonly EpochView[]>, key: string): number[] {
  const values: number[] = [];
  for (const epochs of curves) for (const epoch of epochs) if (epoch.metrics[key] !== undefined) values.push(epoch.metrics[key]);
  return values;
}

/** The values of `param` in colour order, light to dark: numbers ascending, categories as they first appear. */
export function colorOrder(sweep: SweepDetailResponse, param: string): string[] {
  const scale = paramScale(sweep, param);
  return scale.kind === 'number' ? [...new Set(scale.values)].sort((a, b) => a - b).map(paramText) : scale.values;
}

/**
 * A colour per trial from light to dark blue by its value of `param` (see colorOrder), so that
 * the curves of a learning-rate sweep read in order; one blue without a parameter.
 */
export function trialColors(sweep: SweepDetailResponse, param: string | null): Map<string, string> {
  const order = param === null ? [] : colorOrder(sweep, param);
  return new Map(
    sweep.trials.map((t) => {
      const rank = param === null ? -1 : order.indexOf(paramText(t.params[param]));
      return [t.runId, order.length > 1 && rank >= 0 ? rampColor(rank / (order.length - 1)) : TRIAL_COLOR];
    }),
  );
}

interface LineSeries {
  /** The trial's run id. */
  id: string;
  name: string;
  type: 'line';
  data: [number, number][];
  [style: string]: unknown;
}

/** The curves' option; `yAxis.type`, the series and their colours are typed so that the page can expose them to tests. */
export interface CurvesOption extends ChartOption {
  yAxis: { type: 'value' | 'log'; [key: string]: unknown };
  series: LineSeries[];
}

export interface CurvesInput {
  trials: readonly SweepTrialView[];
  epochs: ReadonlyMap<string, readonly EpochView[]>;
  /** The per-epoch metric drawn, e.g. loss or val_mae. */
  key: string;
  logY: boolean;
  bestRunId: string | null;
  colors: ReadonlyMap<string, string>;
}

/** One line per trial with values of `key`; the best trial bold, green, on top and labelled. */
export function curvesOption({ trials, epochs, key, logY, bestRunId, colors }: CurvesInput): CurvesOption {
  const series = trials.flatMap((trial): LineSeries[] => {
    const data = (epochs.get(trial.runId) ?? []).flatMap((e): [number, number][] => (e.metrics[key] === undefined ? [] : [[e.epoch, e.metrics[key]]]));
    if (data.length === 0) return [];
    const best = trial.runId === bestRunId;
    const color = best ? BEST_COLOR : (colors.get(trial.runId) ?? TRIAL_COLOR);
    return [
      {
        id: trial.runId,
        name: trial.name,
        type: 'line',
        data,
        color,
        showSymbol: data.length < 30,
        symbolSize: best ? 6 : 4,
        triggerLineEvent: true,
        lineStyle: best ? { width: 3.5, color } : { width: 1.5, opacity: 0.85, color },
        emphasis: { focus: 'series' },
        z: best ? 5 : 2,
        ...(best ? { endLabel: { show: true, formatter: '★ best', color: BEST_COLOR, fontWeight: 'bold' } } : {}),
      },
    ];
  });
  return {
    animation: false,
    tooltip: {
      ...TEXT_TOOLTIP,
      trigger: 'item',
      formatter: ({ seriesName, value }: { seriesName: string; value?: unknown }) =>
        Array.isArray(value) ? `${seriesName}\nepoch ${String(value[0])}: ${formatNumber(Number(value[1]), 6)}` : seriesName,
    },
    grid: { left: 70, right: 80, top: 30, bottom: 40 },
    xAxis: { type: 'value', name: 'epoch', min: 'dataMin', minInterval: 1, nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: logY ? 'log' : 'value', name: logY ? `${key} (log)` : key, ...(logY ? {} : { scale: true }) },
    series,
  };
}
