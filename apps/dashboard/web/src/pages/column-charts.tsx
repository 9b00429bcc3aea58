import type { ColumnProfile } from '@trainyard/contract';
import { formatNumber } from '../format.js';

type Histogram = NonNullable<ColumnProfile['histogram']>;
type Top = NonNullable<ColumnProfile['top']>;

const WIDTH = 220;
const HEIGHT = 56;
const BAR = 14;

/**
 * Small SVG charts of one column's profile: a histogram for a number column, the top
 * categories' counts for the others. Plain SVG (no chart engine): a page may show dozens.
 */
export function ColumnChart({ column }: { column: ColumnProfile }) {
  if (column.histogram) return <HistogramChart name={column.name} histogram={column.histogram} />;
  // Free text: its most frequent values say little (most appear once).
  if (column.type !== 'text' && column.top && column.top.length > 0) return <TopBars name={column.name} top={column.top} />;
  return null;
}

function HistogramChart({ name, histogram }: { name: string; histogram: Histogram }) {
  const most = Math.max(1, ...histogram.counts);
  const width = WIDTH / Math.max(1, histogram.counts.length);
  const first = histogram.edges[0];
  const last = histogram.edges[histogram.edges.length - 1];
  return (
    <figure className="column-chart">
      <svg width={WIDTH} height={HEIGHT} role="img" aria-label={`histogram of ${name}`} data-chart="histogram" data-bins={histogram.counts.length}>
        {histogram.counts.map((count, i) => {
          const height = (count / most) * (HEIGHT - 2);
          return (
            <rect key={i} x={i * width} y={HEIGHT - height} width={Math.max(1, width - 1)} height={height} className="bar">
              <title>{`${formatNumber(histogram.edges[i])} – ${formatNumber(histogram.edges[i + 1])}: ${count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted">
        <span>{formatNumber(first)}</span>
        <span>{formatNumber(last)}</span>
      </figcaption>
    </figure>
  );
}

function TopBars({ name, top }: { name: string; top: Top }) {
  const shown = top.slice(0, 8);
  const most = Math.max(1, ...shown.map((t) => t.count));
  return (
    <svg width={WIDTH} height={shown.length * BAR} role="img" aria-label={`top values of ${name}`} data-chart="categories">
      {shown.map((t, i) => (
        <g key={t.value} transform={`translate(0 ${i * BAR})`}>
          <rect x={90} y={2} width={Math.max(1, (t.count / most) * (WIDTH - 130))} height={BAR - 4} className="bar" />
          <text x={86} y={BAR - 3} textAnchor="end" className="label">
            {t.value.length > 14 ? `${t.value.slice(0, 13)}…` : t.value}
          </text>
          <text x={94 + (t.count / most) * (WIDTH - 130)} y={BAR - 3} className="label">
            {t.count}
          </text>
        </g>
      ))}
    </svg>
  );
}
