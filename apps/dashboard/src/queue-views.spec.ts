import { MAX_QUEUE_WORKERS, type QueueWorkerInfo, type RunningRun } from '@trainyard/experiments';
import { describe, expect, it } from 'vitest';
import { hostOfWorkerName, listedWorkers, toQueueResponse } from './queue-views.js';

const counts = { waiting: 1, active: 2, delayed: 0, failed: 0, completed: 3 };

function run(id: string, workerId: string | null, packSize: number | null = null): RunningRun {
  return { id, name: `run ${id}`, workerId, host: 'gpu-1', currentEpoch: 4, epochs: 10, heartbeatAt: new Date('2030-01-02T03:04:05.678Z'), startedAt: null, packSize };
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

  it("puts each worker's runs on it, with how long it has been connected and the size of a run's pack, and keeps the orphans apart", () => {
    const connected: QueueWorkerInfo[] = [
      { name: 'b', addr: '10.0.0.2:5000', ageSeconds: 90 },
      { name: 'a' },
    ];
    const running = {
      byWorker: new Map([['b', { runs: [run('r1', 'b'), run('r2', 'b', 3)], total: 3 }]]),
      orphans: { runs: [run('r9', 'gone', 2)], total: 1 },
    };
    const response = toQueueResponse(counts, connected, listedWorkers(connected), running);
    expect(response.workers).toEqual([
      { name: 'a', addr: null, connectedSeconds: null, host: null, lastHeartbeatAt: null, backend: null, runs: [], runsTotal: 0 },
      {
        name: 'b',
        addr: '10.0.0.2:5000',
        connectedSeconds: 90,
        host: 'gpu-1',
        lastHeartbeatAt: '2030-01-02T03:04:05.678Z',
        backend: null,
        runs: [
          { id: 'r1', name: 'run r1', currentEpoch: 4, epochs: 10, heartbeatAt: '2030-01-02T03:04:05.678Z', host: 'gpu-1', workerId: 'b', startedAt: null, packSize: null },
          { id: 'r2', name: 'run r2', currentEpoch: 4, epochs: 10, heartbeatAt: '2030-01-02T03:04:05.678Z', host: 'gpu-1', workerId: 'b', startedAt: null, packSize: 3 },
        ],
        runsTotal: 3,
      },
    ]);
    expect(response.orphanRuns).toEqual({ runs: [expect.objectContaining({ id: 'r9', workerId: 'gone', packSize: 2 })], total: 1 });
    expect(response.counts).toEqual(counts);
  });

  it("fills an idle worker's host, last heartbeat and backend from its last run, and its host from a default name", () => {
    const connected: QueueWorkerInfo[] = [{ name: 'idle' }, { name: 'laptop:4242:9f3a' }, { name: 'busy' }];
    const running = {
      byWorker: new Map([['busy', { runs: [run('r1', 'busy')], total: 1 }]]),
      orphans: { runs: [], total: 0 },
    };
    const lastSeen = new Map([
      ['idle', { host: 'box-7', backend: 'tensorflow', heartbeatAt: new Date('2030-01-01T00:00:00.000Z') }],
      // An older heartbeat on a finished run than the one of its current run: the current one wins.
      ['busy', { host: 'gpu-1', backend: 'wasm', heartbeatAt: new Date('2029-12-31T00:00:00.000Z') }],
    ]);
    const response = toQueueResponse(counts, connected, listedWorkers(connected), running, lastSeen);
    const byName = new Map(response.workers.map((w) => [w.name, w]));
    expect(byName.get('idle')).toMatchObject({ host: 'box-7', backend: 'tensorflow', lastHeartbeatAt: '2030-01-01T00:00:00.000Z', runs: [] });
    expect(byName.get('laptop:4242:9f3a')).toMatchObject({ host: 'laptop', backend: null, lastHeartbeatAt: null });
    expect(byName.get('busy')).toMatchObject({ host: 'gpu-1', backend: 'wasm', lastHeartbeatAt: '2030-01-02T03:04:05.678Z' });
  });
});

describe('hostOfWorkerName', () => {
  it('reads the host of a default worker name and nothing from a custom one', () => {
    expect(hostOfWorkerName('ip-10-0-0-7.ec2.internal:1234:ab12')).toBe('ip-10-0-0-7.ec2.internal');
    expect(hostOfWorkerName('gpu-worker')).toBeUndefined();
  });
});
