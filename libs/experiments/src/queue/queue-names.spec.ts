import { describe, expect, it } from 'vitest';
import { queueNames } from './queue-names.js';
import { trainRunPayloadSchema } from '@trainyard/contract';

describe('queueNames', () => {
  it('puts every channel and lock under the prefix, so two prefixes share nothing', () => {
    const a = queueNames('test-a');
    const b = queueNames('test-b');
    expect(a.queue).toBe('trainyard-runs');
    expect(a.job).toBe('train');
    for (const key of ['events', 'cancels', 'reaperLock'] as const) {
      expect(a[key].startsWith('test-a:')).toBe(true);
      expect(a[key]).not.toBe(b[key]);
    }
    expect(new Set([a.events, a.cancels, a.reaperLock]).size).toBe(3);
  });

  it('rejects a prefix that would break Redis key patterns', () => {
    expect(() => queueNames('a b')).toThrow(/invalid queue prefix/);
    expect(() => queueNames('a:*')).toThrow(/invalid queue prefix/);
  });
});

describe('trainRunPayloadSchema', () => {
  it('takes a run id and nothing else', () => {
    const runId = '5b0c4a52-8a4e-4d7b-9a51-3b1f0c7f2d10';
    expect(trainRunPayloadSchema.parse({ runId })).toEqual({ runId });
    expect(trainRunPayloadSchema.safeParse({ runId: 'nope' }).success).toBe(false);
    expect(trainRunPayloadSchema.safeParse({ runId, definition: {} }).success).toBe(false);
  });
});
