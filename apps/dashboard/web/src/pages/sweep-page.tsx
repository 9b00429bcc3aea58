import { FINAL_STATUSES, type SweepDetailResponse } from '@trainyard/contract';
import { useMemo } from 'react';
import { Chart, TEXT_TOOLTIP, type ChartOption } from '../chart.js';
import { formatNumber } from '../format.js';
import { read } from '../api.js';
import { usePolling } from '../polling.js';
import { Link, setQuery } from '../router.js';
import { HeadCells } from './head-cells.js';
import { StatusBadge } from './status-badge.js';

const REFRESH_MS = 3000;

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Each varied parameter -> the chosen metric, one line per finished trial; the best one drawn on top in red. */
function parallelOption(sweep: SweepDetailResponse, metric: string): ChartOption {
  const finished = sweep.trials.filter((t) => t.status === 'SUCCEEDED' && t.testMetrics?.[metric] !== undefined);
  const axes = sweep.params.map((param, dim) => {
    const values = finished.map((t) => t.params[param]);
    const numeric = values.every((v) => typeof v === 'number');
    return numeric
      ? { dim, name: param, type: 'value' as const, scale: true }
      : { dim, name: param, type: 'category' as const, data: [...new Set(values.map(text))] };
  });
  const row = (t: (typeof finished)[number]): unknown[] => [
    ...sweep.params.map((param) => (typeof t.params[param] === 'number' ? t.params[param] : text(t.params[param]))),
    t.testMetrics?.[metric],
  ];
  const best = finished.filter((t) => t.runId === sweep.best?.runId);
  return {
    animation: false,
    tooltip: { ...TEXT_TOOLTIP, trigger: 'item' },
    parallel: { left: 60, right: 90, top: 40, bottom: 30 },
    parallelAxis: [...axes, { dim: sweep.params.length, name: `test ${metric}`, type: 'value', scale: true }],
    series: [
      { name: 'trials', type: 'parallel', lineStyle: { width: 1.5, opacity: 0.6, color: '#2458c6' }, data: finished.filter((t) => !best.includes(t)).map(row) },
      { name: 'best', type: 'parallel', lineStyle: { width: 4, opacity: 1, color: '#d0342c' }, data: best.map(row) },
    ],
  };
}

/** `/sweeps/:id?metric=mae`: trials, parallel coordinates, best trial, mean ± std per configuration. */
export function SweepPage({ id, metric: wanted }: { id: string; metric: string | null }) {
  // Trials finish over time; the sweep is read again until none is queued or running.
  const { data: sweep, error } = usePolling(`${id}?${wanted ?? ''}`, () => read('getSweep', { params: { id }, query: wanted ? { metric: wanted } : {} }), REFRESH_MS, (next) =>
    next.trials.every((t) => FINAL_STATUSES.includes(t.status)),
  );

  const metricNames = useMemo(() => [...new Set((sweep?.trials ?? []).flatMap((t) => Object.keys(t.testMetrics ?? {})))], [sweep]);
  const metric = sweep?.metric ?? null;
  const option = useMemo(() => (sweep && metric ? parallelOption(sweep, metric) : undefined), [sweep, metric]);

  if (error && !sweep) return <p className="error">{error}</p>;
  if (!sweep) return <p className="muted">Loading…</p>;
  const repeats = sweep.groups.some((g) => g.runs.length > 1);
  return (
    <>
      <h1>Sweep {sweep.name}</h1>
      <div className="toolbar">
        <span className="muted">
          {sweep.trials.length} trials · varied: {sweep.params.join(', ') || 'seed only'}
        </span>
        <label>
          metric{' '}
          <select value={metric ?? ''} onChange={(e) => setQuery({ metric: e.target.value }, { replace: true })}>
            {metricNames.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <Link to={`/?sweep=${sweep.id}`}>its runs</Link>
        {sweep.best && (
          <span data-testid="best">
            best: <Link to={`/runs/${sweep.best.runId}`}>{sweep.trials.find((t) => t.runId === sweep.best?.runId)?.name ?? sweep.best.runId}</Link> ({sweep.best.metric}{' '}
            {formatNumber(sweep.best.value, 6)})
          </span>
        )}
      </div>
      {option && (
        <section>
          <h2>Parameters → test {metric}</h2>
          <Chart option={option} label="parallel coordinates" height={340} />
        </section>
      )}
      {repeats && (
        <section>
          <h2>Per configuration (mean ± std over its repeats)</h2>
          <table data-testid="groups">
            <thead>
              <tr>
                <HeadCells names={sweep.params} />
                <th className="num">done</th>
                <HeadCells names={metricNames} num />
              </tr>
            </thead>
            <tbody>
              {sweep.groups.map((group, i) => (
                <tr key={i}>
                  {sweep.params.map((p) => (
                    <td key={p}>{text(group.params[p])}</td>
                  ))}
                  <td className="num">
                    {group.succeeded}/{group.runs.length}
                  </td>
                  {metricNames.map((m) => (
                    <td key={m} className="num">
                      {group.metrics[m] ? `${formatNumber(group.metrics[m].mean)} ± ${formatNumber(group.metrics[m].std)}` : '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section>
        <h2>Trials</h2>
        <table data-testid="trials">
          <thead>
            <tr>
              <th />
              <th>run</th>
              <th>status</th>
              <HeadCells names={sweep.params} />
              <th className="num">seed</th>
              <HeadCells names={metricNames} num />
            </tr>
          </thead>
          <tbody>
            {sweep.trials.map((trial) => (
              <tr key={trial.runId} style={trial.runId === sweep.best?.runId ? { background: '#fdeceb' } : undefined}>
                <td>{trial.runId === sweep.best?.runId ? '★' : ''}</td>
                <td>
                  <Link to={`/runs/${trial.runId}`}>{trial.name}</Link>
                </td>
                <td>
                  <StatusBadge status={trial.status} />
                </td>
                {sweep.params.map((p) => (
                  <td key={p}>{text(trial.params[p])}</td>
                ))}
                <td className="num">{trial.seed}</td>
                {metricNames.map((m) => (
                  <td key={m} className="num">
                    {formatNumber(trial.testMetrics?.[m])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
