import type { QueueResponse } from '@trainyard/experiments/definition';
import { useEffect, useState } from 'react';
import { errorText, getJson } from '../api.js';
import { formatTime } from '../format.js';

const REFRESH_MS = 2000;

/** `/queue`: BullMQ counts and the workers connected, refreshed every two seconds. */
export function QueuePage() {
  const [queue, setQueue] = useState<QueueResponse | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let stopped = false;
    const poll = async (): Promise<void> => {
      try {
        const next = await getJson<QueueResponse>('/api/queue');
        if (!stopped) {
          setQueue(next);
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
        </>
      )}
    </>
  );
}
