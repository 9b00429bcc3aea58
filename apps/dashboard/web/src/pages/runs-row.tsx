import { FINAL_STATUSES, type RunView } from '@trainyard/contract';
import { Fragment, memo } from 'react';
import { formatDuration, formatTime } from '../format.js';
import { Link } from '../router.js';
import type { RunsColumn } from './runs-columns.js';
import { compactName, shortReason } from './runs-params.js';
import { EpochBar, StatusBadge } from './status-badge.js';
import { paramText } from './sweep-values.js';

/** What live events say about a run before its row is read again. */
export interface LiveRun {
  status?: RunView['status'];
  epoch?: number;
  epochs?: number;
}

interface RunRowProps {
  run: RunView;
  live: LiveRun | undefined;
  selected: boolean;
  onToggle: (id: string) => void;
  /** The grid tracks, the same for every row and the header. */
  template: string;
  shown: readonly RunsColumn[];
  /** This run's test metrics as their columns format them (one notation down a column), tab-separated in metricNames' order. */
  metricText: string;
  metricNames: readonly string[];
  /** Short names of the varied parameters' paths (the parameter columns' headers). */
  paramNames: ReadonlyMap<string, string>;
  top: number;
}

/**
 * One row of the table. Memoized: while the table scrolls, the rows that stay in the window
 * keep their props and are not rendered again; only those scrolled into view are.
 */
export const RunRow = memo(function RunRow({ run, live, selected, onToggle, template, shown, metricText, metricNames, paramNames, top }: RunRowProps) {
  const status = run.status === 'QUEUED' || run.status === 'RUNNING' ? (live?.status ?? run.status) : run.status;
  const epoch = Math.max(run.currentEpoch, live?.epoch ?? 0);
  const epochs = live?.epochs ?? run.epochs;
  const cell = (column: RunsColumn) => {
    switch (column.kind) {
      case 'sweep':
        return <div title={run.sweepName ?? ''}>{run.sweepId ? <Link to={`/sweeps/${run.sweepId}`}>{run.sweepName}</Link> : '—'}</div>;
      case 'dataset':
        return <div title={run.dataset}>{run.dataset}</div>;
      case 'status':
        return (
          <div title={run.error && status === 'FAILED' ? run.error.message : undefined}>
            <StatusBadge status={status} />{' '}
            <span className="muted">
              {epoch}/{epochs}
            </span>
            {status === 'RUNNING' && <EpochBar epoch={epoch} epochs={epochs} />}
            {run.error && status === 'FAILED' && <span className="run-reason"> {shortReason(run.error.message)}</span>}
          </div>
        );
      case 'param': {
        const value = column.key !== undefined ? run.params?.[column.key] : undefined;
        const text = value === undefined ? '—' : paramText(value);
        return (
          <div className="num" title={value === undefined ? undefined : `${column.key ?? ''} = ${text}`}>
            {text}
          </div>
        );
      }
      case 'metric':
        return <div className="num">{metricText.split('\t')[metricNames.indexOf(column.key ?? '')] ?? '—'}</div>;
      case 'backend':
        return <div>{run.backend ?? '—'}</div>;
      case 'start':
        return <div title={run.startedAt ?? undefined}>{formatTime(run.startedAt)}</div>;
      case 'duration':
        return <div>{formatDuration(run.durationMs)}</div>;
    }
  };
  return (
    <div className={`row${selected ? ' selected' : ''}`} role="row" data-run-id={run.id} style={{ gridTemplateColumns: template, position: 'absolute', top, left: 0, right: 0 }}>
      <div>
        <input type="checkbox" aria-label={`select ${run.name}`} checked={selected} onChange={() => onToggle(run.id)} />
      </div>
      <div className="run-name" title={run.name}>
        <Link to={`/runs/${run.id}`}>{compactName(run.name, run.params, paramNames)}</Link>
        {run.reproducesRunId && <RerunMark run={{ ...run, status }} original={run.reproducesRunId} />}
      </div>
      {shown.map((column) => (
        <Fragment key={column.id}>{cell(column)}</Fragment>
      ))}
    </div>
  );
});

const FINAL = new Set(FINAL_STATUSES);

/** `↻ rerun of 1a2b3c4d ✓ exact`: the run it reruns (a link) and whether it reproduced it. */
function RerunMark({ run, original }: { run: RunView; original: string }) {
  const value = run.reproduction;
  const verdict = !value ? (FINAL.has(run.status) ? 'not checked' : '') : value.exact ? '✓ exact' : `≠ diverged at epoch ${value.firstDivergentEpoch}`;
  const tone = !value ? 'muted' : value.exact ? 'ok' : 'error';
  return (
    <span className="rerun-mark" data-testid="rerun-mark">
      <Link to={`/runs/${original}`} title={`rerun of ${original}`}>
        ↻ rerun of {original.slice(0, 8)}
      </Link>
      {verdict && <span className={tone}> {verdict}</span>}
    </span>
  );
}
