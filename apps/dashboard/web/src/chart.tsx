import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';
import { errorText } from './api.js';

export type ChartOption = EChartsCoreOption;

/**
 * Tooltips drawn on the canvas (renderMode 'richText'), never as HTML: series and axis names
 * come from run names and definitions that users typed.
 */
export const TEXT_TOOLTIP = { renderMode: 'richText' } as const;

/**
 * A thin React wrapper around one ECharts instance; `points` is exposed for tests and screen readers.
 * ECharts (most of the UI's code) is imported on first use; until it is drawn the element keeps its
 * height and says aria-busy.
 */
export function Chart({ option, height = 280, label, points }: { option: ChartOption; height?: number; label: string; points?: number }) {
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
  // E.g. a chunk gone after a redeploy. Outside the role=img element, whose content screen readers skip.
  if (failed) return <p className="error">The chart {label} could not be loaded ({failed}); reload the page.</p>;
  return <div ref={element} className="chart" role="img" aria-label={label} aria-busy={!chart} data-chart={label} data-points={points} style={{ height }} />;
}
