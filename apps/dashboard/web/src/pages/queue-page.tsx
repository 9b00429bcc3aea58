import type { QueueRunView, QueueWorkerView } from '@trainyard/contract';
import { read } from '../api.js';
import { usePolling } from '../polling.js';
import { formatDuration, formatTime } from '../format.js';
import { Link } from '../router.js';
import { PACK_NOTE } from './run-pack.js';
import { EpochBar } from './status-badge.js';

const REFRESH_MS = 2000;

/** `/queue`: BullMQ counts and the workers connected with what they train, refreshed every two seconds (one request). */
export function QueuePage() {
  const { data: queue, error } = usePolling('queue', () => read('queue', {}), REFRESH_MS);
  return (
    <>
      <h1>Queue</h1>
      {error && <p className="error">{error}</p>}
      {queue && (
        <>
          <section>
            <table data-testid="queue-counts">
              <tbody>
                {Object.entries(queue.counts).map(([name, count]) => (
                  <tr key={name}>
                    <th>{name}</th>
                    <td className="num">
                      {name === 'failed' && count > 0 ? (
                        <Link to="/runs?status=FAILED" title="runs that failed (the runs page, filtered by status FAILED)">
                          {count}
                        </Link>
                      ) : (
                        count
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section>
            <h2>Workers online ({queue.workersTotal})</h2>
            {queue.workersTotal > queue.workers.length && (
              <p className="muted">
                The first {queue.workers.length} by name; {queue.workersTotal - queue.workers.length} more connected.
              </p>
            )}
            <table data-testid="workers">
              <thead>
                <tr>
                  <th>worker</th>
                  <th>host / address</th>
                  <th>backend</th>
                  <th>connected for</th>
                  <th>current run(s)</th>
                  <th>last heartbeat</th>
                </tr>
              </thead>
              <tbody>
                {queue.workers.length === 0 && (
                  <tr>
                    <td colSpan={6} className="muted">
                      no worker connected: start one with trainyard worker
                    </td>
                  </tr>
                )}
                {queue.workers.map((worker) => (
                  <WorkerRow key={worker.name} worker={worker} />
                ))}
              </tbody>
            </table>
          </section>
          {queue.orphanRuns.total > 0 && <OrphanRuns runs={queue.orphanRuns.runs} total={queue.orphanRuns.total} />}
        </>
      )}
    </>
  );
}

function WorkerRow({ worker }: { worker: QueueWorkerView }) {
  return (
    <tr data-worker={worker.name}>
      <td>{worker.name}</td>
      <td>
        {worker.host ?? '—'}
        <br />
        <span className="muted">{worker.addr ?? '—'}</span>
      </td>
      <td title={worker.backend === null ? 'known once it has trained a run' : 'as recorded on its latest run'}>{worker.backend ?? '—'}</td>
      <td>{worker.connectedSeconds === null ? '—' : formatDuration(worker.connectedSeconds * 1000)}</td>
      <td>
        {worker.runs.length === 0 ? (
          <span className="muted">idle</span>
        ) : (
          <ul className="plain">
            {worker.runs.map((run) => (
              <li key={run.id} data-run-id={run.id} title={`last heartbeat ${formatTime(run.heartbeatAt)}`}>
                <Link to={`/runs/${run.id}`}>{run.name}</Link> <EpochProgress run={run} />
                <PackMark run={run} />
              </li>
            ))}
            {worker.runsTotal > worker.runs.length && <li className="muted">and {worker.runsTotal - worker.runs.length} more</li>}
          </ul>
        )}
      </td>
      <td>
        <Heartbeat at={worker.lastHeartbeatAt} />
      </td>
    </tr>
  );
}

/** RUNNING runs whose worker is not connected; see QueueResponse.orphanRuns. */
function OrphanRuns({ runs, total }: { runs: QueueRunView[]; total: number }) {
  return (
    <section>
      <h2>Running on no connected worker ({total})</h2>
      <p className="muted">
        Their worker stopped or lost Redis. A worker that comes back carries on; otherwise the runs go back to the queue once their heartbeat is
        stale.
      </p>
      <table data-testid="orphan-runs">
        <thead>
          <tr>
            <th>run</th>
            <th>epoch</th>
            <th>worker</th>
            <th>host</th>
            <th>last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run-id={run.id}>
              <td>
                <Link to={`/runs/${run.id}`}>{run.name}</Link>
                <PackMark run={run} />
              </td>
              <td>
                <EpochProgress run={run} />
              </td>
              <td>{run.workerId ?? '—'}</td>
              <td>{run.host ?? '—'}</td>
              <td>
                <Heartbeat at={run.heartbeatAt} />
              </td>
            </tr>
          ))}
          {total > runs.length && (
            <tr>
              <td colSpan={5} className="muted">
                and {total - runs.length} more (see the runs page, status RUNNING)
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function EpochProgress({ run }: { run: QueueRunView }) {
  return (
    <>
      <span className="muted">
        epoch {run.currentEpoch}/{run.epochs}
      </span>
      <EpochBar epoch={run.currentEpoch} epochs={run.epochs} />
    </>
  );
}

/** A run that trains with others as one pack says with how many; nothing for a run trained alone. */
function PackMark({ run }: { run: QueueRunView }) {
  if (run.packSize === null) return null;
  return (
    <span className="muted" title={PACK_NOTE} data-testid="pack-size">
      {' '}
      · pack of {run.packSize}
    </span>
  );
}

function Heartbeat({ at }: { at: string | null }) {
  return at === null ? <>—</> : <time dateTime={at}>{formatTime(at)}</time>;
}
