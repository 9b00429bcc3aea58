import { MAX_QUEUE_WORKERS, type QueueWorkerInfo, type RunningRun } from '@trainyard/experiments';
import { describe, expect, it } from 'vitest';
import { listedWorkers, toQueueResponse } from './queue-views.js';

const counts = { waiting: 1, active: 2, delayed: 0, failed: 0, completed: 3 };

function run(id: string, workerId: string | null): RunningRun {
  return { id, name: `run ${id}`, workerId, host: 'gpu-1', currentEpoch: 4, epochs: 10, heartbeatAt: new Date('2030-01-02T03:04:05.678Z'), startedAt: null };
}

describe('the queue view', () => {
  it('lists at most MAX_QUEUE_WORKERS workers, by name, and says how many are connected', () => {
    const connected: QueueWorkerInfo[] = Array.from({ length: MAX_QUEUE_WORKERS + 5 }, (_, i) => ({ name: `w-${String(MAX_QUEUE_WORKERS + 5 - i).padStart(3, '0')}` }));
    const listed = listedWorkers(connected);
    expect(listed).toHaveLength(MAX_QUEUE_WORKERS);
    expect(listed[0]?.name).toBe('w-001');
    expect(listed.at(-1)?.name).toBe(`w-${MAX_QUEUE_WORKERS}`);
    const response = toQueueResponse(counts, connected, listed, { byWorker: new Map(), orphans: { runs: [], total: 0 } });
    expect(response.workers).toHaveLength(MAX_QUEUE_WORKERS);
    expect(response.workersTotal).toBe(MAX_QUEUE_WORKERS + 5);
  });

  it("puts each worker's runs on it, with how long it has been connected, and keeps the orphans apart", () => {
    const connected: QueueWorkerInfo[] = [
      { name: 'b', addr: '10.0.0.2:5000', ageSeconds: 90 },
      { name: 'a' },
    ];
    const running = {
      byWorker: new Map([['b', { runs: [run('r1', 'b'), run('r2', 'b')], total: 3 }]]),
      orphans: { runs: [run('r9', 'gone')], total: 1 },
    };
    const response = toQueueResponse(counts, connected, listedWorkers(connected), running);
    expect(response.workers).toEqual([
      { name: 'a', addr: null, connectedSeconds: null, runs: [], runsTotal: 0 },
      {
        name: 'b',
        addr: '10.0.0.2:5000',
        connectedSeconds: 90,
        runs: [
          { id: 'r1', name: 'run r1', currentEpoch: 4, epochs: 10, heartbeatAt: '2030-01-02T03:04:05.678Z', host: 'gpu-1', workerId: 'b', startedAt: null },
          { id: 'r2', name: 'run r2', currentEpoch: 4, epochs: 10, heartbeatAt: '2030-01-02T03:04:05.678Z', host: 'gpu-1', workerId: 'b', startedAt: null },
        ],
        runsTotal: 3,
      },
    ]);
    expect(response.orphanRuns).toEqual({ runs: [expect.objectContaining({ id: 'r9', workerId: 'gone' })], total: 1 });
    expect(response.counts).toEqual(counts);
  });
});
