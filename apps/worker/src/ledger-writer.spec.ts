import { describe, expect, it } from 'vitest';
import { LedgerWriter } from './ledger-writer.js';
import type { StoreRetryPolicy } from './store-retry.js';

class Unavailable extends Error {}
const policy = (maxWaitMs = 5_000): StoreRetryPolicy => ({
  maxWaitMs,
  initialDelayMs: 5,
  maxDelayMs: 20,
  isTransient: (e) => e instanceof Unavailable,
});

describe('LedgerWriter', () => {
  it('keeps the order of writes while the database is away, retrying each until it lands', async () => {
    const written: string[] = [];
    let outage = 4; // the first four calls find the database down
    const write = (name: string) => async () => {
      if (outage-- > 0) throw new Unavailable('down');
      written.push(name);
      return true;
    };
    const writer = new LedgerWriter(policy(), () => undefined, () => undefined);
    for (const name of ['start', 'epoch 1', 'epoch 2', 'succeed']) writer.push(write(name));
    await writer.flush();
    expect(written).toEqual(['start', 'epoch 1', 'epoch 2', 'succeed']);
  });

  it('drops later writes and reports when the attempt no longer owns the run', async () => {
    const written: string[] = [];
    let lost = 0;
    const writer = new LedgerWriter(policy(), () => lost++, () => undefined);
    writer.push(async () => (written.push('epoch 1'), true));
    writer.push(async () => false);
    writer.push(async () => (written.push('epoch 3'), true));
    await writer.flush();
    expect(written).toEqual(['epoch 1']);
    expect(writer.lost).toBe(true);
    expect(lost).toBe(1);
  });

  it('gives up after the longest wait and throws the error from flush', async () => {
    const failures: unknown[] = [];
    const writer = new LedgerWriter(policy(50), () => undefined, (e) => failures.push(e));
    writer.push(async () => {
      throw new Unavailable('still down');
    });
    await expect(writer.flush()).rejects.toThrow('still down');
    expect(failures).toHaveLength(1);
  });

  it('does not retry an error that is not about reachability', async () => {
    let calls = 0;
    const writer = new LedgerWriter(policy(), () => undefined, () => undefined);
    writer.push(async () => {
      calls++;
      throw new Error('constraint violated');
    });
    await expect(writer.flush()).rejects.toThrow('constraint violated');
    expect(calls).toBe(1);
  });
});
