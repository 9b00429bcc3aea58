import { FINAL_STATUSES } from '@trainyard/contract';
import { useMemo, useState } from 'react';
import { formatNumber } from '../format.js';
import { read } from '../api.js';
import { usePolling } from '../polling.js';
import { Link, setQuery } from '../router.js';
import { HeadCells } from './head-cells.js';
import { StatusBadge } from './status-badge.js';
import { SweepCurvesSection } from './sweep-curves-section.js';
import { SweepScatterSection } from './sweep-scatter-section.js';
import { paramText } from './sweep-values.js';

const REFRESH_MS = 3000;

/**
 * `/sweeps/:id?metric=mae`: a parameter against the metric (and parallel coordinates from two
 * parameters on), every trial's curves, mean ± std per configuration, the trials; the best one
 * starred in green.
 */
export function SweepPage({ id, metric: wanted }: { id: string; metric: string | null }) {
  // Trials finish over time; the sweep is read again until none is queued or running.
  const { data: sweep, error } = usePolling(`${id}?${wanted ?? ''}`, () => read('getSweep', { params: { id }, query: wanted ? { metric: wanted } : {} }), REFRESH_MS, (next) =>
    next.trials.every((t) => FINAL_STATUSES.includes(t.status)),
  );

  const metricNames = useMemo(() => [...new Set((sweep?.trials ?? []).flatMap((t) => Object.keys(t.testMetrics ?? {})))], [sweep]);
  const metric = sweep?.metric ?? null;
  const [chosenParam, setParam] = useState<string | null>(null);
  const param = sweep?.params.find((p) => p === chosenParam) ?? sweep?.params[0] ?? null;

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
          <span data-testid="best" className="sweep-best-note">
            ★ best: <Link to={`/runs/${sweep.best.runId}`}>{sweep.trials.find((t) => t.runId === sweep.best?.runId)?.name ?? sweep.best.runId}</Link> ({sweep.best.metric}{' '}
            {formatNumber(sweep.best.value, 6)})
          </span>
        )}
      </div>
      {metric && param !== null && <SweepScatterSection sweep={sweep} metric={metric} param={param} onParam={setParam} />}
      <SweepCurvesSection sweep={sweep} colorParam={param} />
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
                    <td key={p}>{paramText(group.params[p])}</td>
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
              <tr key={trial.runId} className={trial.runId === sweep.best?.runId ? 'sweep-best' : undefined}>
                <td>{trial.runId === sweep.best?.runId && <span className="sweep-best-badge">★ best</span>}</td>
                <td>
                  <Link to={`/runs/${trial.runId}`}>{trial.name}</Link>
                </td>
                <td>
                  <StatusBadge status={trial.status} />
                </td>
                {sweep.params.map((p) => (
                  <td key={p}>{paramText(trial.params[p])}</td>
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
