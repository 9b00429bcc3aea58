import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { errorText } from './api.js';
import { summarizeOption } from './chart-summary.js';

export type ChartOption = EChartsCoreOption;

/**
 * Tooltips drawn on the canvas (renderMode 'richText'), never as HTML: series and axis names
 * come from run names and definitions that users typed.
 */
export const TEXT_TOOLTIP = { renderMode: 'richText' } as const;

/**
 * A thin React wrapper around one ECharts instance; `points` is exposed for tests and screen readers,
 * and so is what the option draws (JSON, see chart-summary.ts): `data-axes` (each axis' type, title
 * and fixed range) and `data-series` (each series' name, number of points and last y).
 * `square`: as wide as it is high (its width, at most `height`), for plots whose axes share a scale.
 * `onItemClick`: called with the data of a clicked item (a point, a heatmap cell).
 * ECharts (most of the UI's code) is imported on first use; until it is drawn the element keeps its
 * height and says aria-busy.
 */
export function Chart({
  option,
  height = 280,
  label,
  points,
  square = false,
  onItemClick,
}: {
  option: ChartOption;
  height?: number;
  label: string;
  points?: number;
  square?: boolean;
  onItemClick?: (data: unknown) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | undefined>();
  const [failed, setFailed] = useState<string | undefined>();
  useEffect(() => {
    let instance: ECharts | undefined;
    let observer: ResizeObserver | undefined;
    let unmounted = false;
    void import('./chart-engine.js').then(
      ({ createChart }) => {
        if (unmounted || !element.current) return;
        const created = createChart(element.current);
        instance = created;
        observer = new ResizeObserver(() => created.resize());
        observer.observe(element.current);
        setChart(created);
      },
      (error: unknown) => {
        if (!unmounted) setFailed(errorText(error));
      },
    );
    return () => {
      unmounted = true;
      observer?.disconnect();
      instance?.dispose();
      setChart(undefined);
    };
  }, []);
  useEffect(() => {
    chart?.setOption(option, { notMerge: true });
  }, [chart, option]);
  useEffect(() => {
    if (!chart || !onItemClick) return undefined;
    const listener = (params: { data?: unknown }): void => onItemClick(params.data);
    chart.on('click', listener);
    return () => void chart.off('click', listener);
  }, [chart, onItemClick]);
  const summary = useMemo(() => summarizeOption(option), [option]);
  // E.g. a chunk gone after a redeploy. Outside the role=img element, whose content screen readers skip.
  if (failed) return <p className="error">The chart {label} could not be loaded ({failed}); reload the page.</p>;
  return (
    <div
      ref={element}
      className="chart"
      role="img"
      aria-label={label}
      aria-busy={!chart}
      data-chart={label}
      data-points={points}
      data-axes={JSON.stringify({ x: summary.x, y: summary.y })}
      data-series={JSON.stringify(summary.series)}
      style={square ? { maxWidth: height, aspectRatio: '1 / 1' } : { height }}
    />
  );
}
