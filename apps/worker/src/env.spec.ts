import { describe, expect, it } from 'vitest';
import { readEnv, workerSettingsOf } from './env.js';

describe('readEnv', () => {
  it('defaults to the local Redis, the embedded database and one thread', () => {
    const env = readEnv({});
    expect(env.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(env.databaseUrl).toBeUndefined();
    expect(env.dbDir.endsWith('.trainyard/db')).toBe(true);
    expect(env.concurrency).toBe(1);
    expect(env.backend).toBe('auto');
  });

  it('reads numbers and names every bad variable', () => {
    expect(readEnv({ WORKER_CONCURRENCY: '3', WORKER_LOCK_DURATION_MS: '2000' })).toMatchObject({ concurrency: 3, lockDurationMs: 2000 });
    expect(() => readEnv({ WORKER_CONCURRENCY: '0', TRAINYARD_BACKEND: 'gpu' })).toThrow(/WORKER_CONCURRENCY.*TRAINYARD_BACKEND|TRAINYARD_BACKEND.*WORKER_CONCURRENCY/);
  });

  it('limits each training thread heap and each run, and passes both to the worker', () => {
    expect(workerSettingsOf(readEnv({}))).toMatchObject({ threadMaxHeapMb: 2048, maxRunSeconds: 6 * 3600 });
    expect(workerSettingsOf(readEnv({ WORKER_THREAD_MAX_HEAP_MB: '256', TRAINYARD_MAX_RUN_SECONDS: '60' }))).toMatchObject({ threadMaxHeapMb: 256, maxRunSeconds: 60 });
    expect(() => readEnv({ WORKER_THREAD_MAX_HEAP_MB: '8' })).toThrow(/WORKER_THREAD_MAX_HEAP_MB/);
  });
});
