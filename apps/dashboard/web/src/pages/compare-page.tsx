import { compareMetricNames, type EpochView, type RunDetailView } from '@trainyard/contract';
import { useEffect, useMemo, useState } from 'react';
import { errorText, read } from '../api.js';
import { Chart } from '../chart.js';
import { formatNumber, isRecord } from '../format.js';
import { Link } from '../router.js';
import { baseMetrics, curveOption } from './curves.js';
import { HeadCells } from './head-cells.js';
import { StatusBadge } from './status-badge.js';

interface Loaded {
  run: RunDetailView;
  epochs: EpochView[];
}

/** Field path -> JSON text of the value, for every leaf of a definition. */
function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value) && value.some((v) => isRecord(v) || Array.isArray(v))) value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else if (isRecord(value)) for (const [key, v] of Object.entries(value)) flatten(v, path ? `${path}.${key}` : key, out);
  else out.set(path, JSON.stringify(value));
  return out;
}

/** `/compare?runs=a,b,...`: 2 to 10 runs' curves overlaid, their definitions diffed, their test metrics side by side. */
export function ComparePage({ ids }: { ids: string[] }) {
  const [loaded, setLoaded] = useState<Loaded[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [hideIdentical, setHideIdentical] = useState(true);
  const key = ids.join(',');
  useEffect(() => {
    const wanted = key.split(',').filter(Boolean);
    if (wanted.length < 2 || wanted.length > 10) return;
    Promise.all(
      wanted.map(async (id) => {
        const [run, { epochs }] = await Promise.all([read('getRun', { params: { id } }), read('listEpochs', { params: { id } })]);
        return { run, epochs };
      }),
    ).then(setLoaded, (e: unknown) => setError(errorText(e)));
  }, [key]);

  const labels = useMemo(() => loaded.map(({ run }, i) => `${i + 1}. ${run.name}`), [loaded]);
  const metrics = useMemo(() => [...new Set(loaded.flatMap((l) => baseMetrics(l.epochs)))], [loaded]);
  const options = useMemo(() => metrics.map((m) => curveOption(m, loaded.map((l, i) => ({ label: labels[i] ?? '', epochs: l.epochs })))), [metrics, loaded, labels]);
  const diff = useMemo(() => {
    const flat = loaded.map((l) => flatten(l.run.definition));
    const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
    return paths.map((path) => {
      const values = flat.map((f) => f.get(path) ?? '—');
      return { path, values, same: values.every((v) => v === values[0]) };
    });
  }, [loaded]);
  const testMetricNames = useMemo(() => [...new Set(loaded.flatMap((l) => Object.keys(l.run.testMetrics ?? {})))].sort(compareMetricNames), [loaded]);

  if (ids.length < 2 || ids.length > 10) return <p className="error">Compare needs 2 to 10 runs: select them on the runs page.</p>;
  if (error) return <p className="error">{error}</p>;
  if (loaded.length === 0) return <p className="muted">Loading…</p>;

  const shown = diff.filter((row) => !hideIdentical || !row.same);
  return (
    <>
      <h1>Compare {loaded.length} runs</h1>
      <section>
        <table>
          <thead>
            <tr>
              <th>run</th>
              <th>status</th>
              <HeadCells names={testMetricNames} num prefix="test " />
            </tr>
          </thead>
          <tbody data-testid="compare-metrics">
            {loaded.map(({ run }, i) => (
              <tr key={run.id}>
                <td>
                  <Link to={`/runs/${run.id}`}>{labels[i]}</Link>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                {testMetricNames.map((name) => (
                  <td key={name} className="num">
                    {formatNumber(run.testMetrics?.[name], 6)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Curves</h2>
        <div className="grid2">
          {options.map((option, i) => (
            <Chart key={metrics[i]} option={option} label={`curve ${metrics[i]}`} height={320} />
          ))}
        </div>
      </section>
      <section>
        <h2>Definitions</h2>
        <label>
          <input type="checkbox" checked={hideIdentical} onChange={(e) => setHideIdentical(e.target.checked)} /> hide identical
        </label>
        <table data-testid="definition-diff">
          <thead>
            <tr>
              <th>field</th>
              {labels.map((label) => (
                <th key={label}>{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.path}>
                <td>{row.path}</td>
                {row.values.map((value, i) => (
                  <td key={i} style={row.same ? undefined : { background: '#fff6d6' }}>
                    {value}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && <p className="muted">The definitions are identical.</p>}
      </section>
    </>
  );
}
