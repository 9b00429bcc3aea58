import type { QueueResponse, RunDetailView, RunListResponse } from '@trainyard/experiments/definition';
import { useEffect, useState } from 'react';
import { errorText, getJson } from '../api.js';
import { formatTime } from '../format.js';
import { Link } from '../router.js';

const REFRESH_MS = 2000;
/** The running runs shown with their worker; more than this is a big team's queue, see the runs page. */
const MAX_RUNNING = 50;

/** `/queue`: BullMQ counts and the workers connected, refreshed every two seconds. */
export function QueuePage() {
  const [queue, setQueue] = useState<QueueResponse | undefined>();
  const [running, setRunning] = useState<RunDetailView[]>([]);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let stopped = false;
    const poll = async (): Promise<void> => {
      try {
        const [next, list] = await Promise.all([getJson<QueueResponse>('/api/queue'), getJson<RunListResponse>(`/api/runs?status=RUNNING&limit=${MAX_RUNNING}`)]);
        // Which worker runs what, and its last heartbeat, are on the run's record.
        const details = await Promise.all(list.items.map((run) => getJson<RunDetailView>(`/api/runs/${run.id}`)));
        if (!stopped) {
          setQueue(next);
          setRunning(details);
          setError(undefined);
        }
      } catch (e) {
        if (!stopped) setError(errorText(e));
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
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
                    <td className="num">{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section>
            <h2>Workers online ({queue.workers.length})</h2>
            <table data-testid="workers">
              <thead>
                <tr>
                  <th>id</th>
                  <th>name</th>
                  <th>address</th>
                  <th>started</th>
                </tr>
              </thead>
              <tbody>
                {queue.workers.map((w) => (
                  <tr key={w.id}>
                    <td>{w.id}</td>
                    <td>{w.name ?? '—'}</td>
                    <td>{w.addr ?? '—'}</td>
                    <td>{formatTime(w.startedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section>
            <h2>Running now ({running.length})</h2>
            <table data-testid="running">
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
                {running.map((run) => (
                  <tr key={run.id}>
                    <td>
                      <Link to={`/runs/${run.id}`}>{run.name}</Link>
                    </td>
                    <td>
                      {run.currentEpoch}/{run.epochs}
                    </td>
                    <td>{run.workerId ?? '—'}</td>
                    <td>{run.host ?? '—'}</td>
                    <td>{formatTime(run.heartbeatAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </>
  );
}
