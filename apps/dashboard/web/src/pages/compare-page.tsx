import { compareMetricNames, type EpochView, type RunDetailView } from '@trainyard/contract';
import { useEffect, useMemo, useState } from 'react';
import { errorText, read } from '../api.js';
import { CurveCharts } from '../chart-curves.js';
import { formatNumber, isRecord } from '../format.js';
import { Link } from '../router.js';
import { CURVE_COLORS } from './curves.js';
import { HeadCells } from './head-cells.js';
import { shownDefinition } from './run-definition-order.js';
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

/** Every path of `lists` once, each list's paths in its order: a path only some definitions have comes after its predecessor there. */
function mergeOrder(lists: string[][]): string[] {
  const merged: string[] = [];
  for (const list of lists) {
    let at = 0;
    for (const path of list) {
      const found = merged.indexOf(path);
      if (found === -1) merged.splice(at++, 0, path);
      else at = found + 1;
    }
  }
  return merged;
}

/** `optimizer.learningRate` -> `learningRate`, unless another varied path ends the same way. */
function shortPaths(paths: string[]): string[] {
  const last = (path: string): string => path.split('.').at(-1) ?? path;
  return paths.map((path) => (paths.filter((p) => last(p) === last(path)).length > 1 ? path : last(path)));
}

/**
 * Each run's name in full; runs that share a name also get what differs in their definitions
 * (`learningRate=0.05 seed=2`), and the start of their id if that is not enough.
 */
function runLabels(runs: RunDetailView[], diff: { path: string; values: string[]; same: boolean }[]): string[] {
  const varied = diff.filter((row) => !row.same && row.path !== 'name' && row.path !== 'description');
  const names = shortPaths(varied.map((row) => row.path));
  const labels = runs.map((run, i) => {
    if (runs.filter((r) => r.name === run.name).length === 1) return run.name;
    const params = varied.map((row, v) => `${names[v]}=${row.values[i] ?? '—'}`);
    return params.length > 0 ? `${run.name} · ${params.join(' ')}` : run.name;
  });
  return labels.map((label, i) => (labels.filter((l) => l === label).length > 1 ? `${label} · ${runs[i]?.id.slice(0, 8) ?? i}` : label));
}

/** Ids listed more than once. */
function repeated(ids: string[]): string[] {
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}

/** `/compare?runs=a,b,...`: 2 to 10 runs' curves overlaid, their definitions diffed, their test metrics side by side. A run listed twice is shown once. */
export function ComparePage({ ids: listed }: { ids: string[] }) {
  const ids = useMemo(() => [...new Set(listed)], [listed]);
  const twice = repeated(listed);
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

  const diff = useMemo(() => {
    const flat = loaded.map(({ run }) => flatten(shownDefinition(run)));
    // In the order a definition is written (the contract schema's, as the examples are), not sorted.
    const paths = mergeOrder(flat.map((f) => [...f.keys()]));
    return paths.map((path) => {
      const values = flat.map((f) => f.get(path) ?? '—');
      return { path, values, same: values.every((v) => v === values[0]) };
    });
  }, [loaded]);
  const labels = useMemo(() => runLabels(loaded.map((l) => l.run), diff), [loaded, diff]);
  const curves = useMemo(() => loaded.map((l, i) => ({ label: labels[i] ?? l.run.id, epochs: l.epochs, color: CURVE_COLORS[i % CURVE_COLORS.length] ?? '#5470c6' })), [loaded, labels]);
  const testMetricNames = useMemo(() => [...new Set(loaded.flatMap((l) => Object.keys(l.run.testMetrics ?? {})))].sort(compareMetricNames), [loaded]);

  if (ids.length < 2 || ids.length > 10) return <p className="error">Compare needs 2 to 10 different runs: select them on the runs page.</p>;
  if (error) return <p className="error">{error}</p>;
  if (loaded.length === 0) return <p className="muted">Loading…</p>;

  const shown = diff.filter((row) => !hideIdentical || !row.same);
  return (
    <>
      <h1>Compare {loaded.length} runs</h1>
      {twice.length > 0 && (
        <p className="muted" data-testid="duplicates">
          {twice.length === 1 ? `Run ${twice[0]} is` : `Runs ${twice.join(', ')} are`} listed more than once in the address: shown once.
        </p>
      )}
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
                  <span className="swatch" style={{ background: curves[i]?.color }} aria-hidden="true" /> <Link to={`/runs/${run.id}`}>{labels[i]}</Link>
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
        <CurveCharts runs={curves} height={320} />
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
