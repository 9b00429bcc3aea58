import { describe, expect, it } from 'vitest';
import { decodeRunCursor, encodeRunCursor } from './run-list-query.js';
import { StoreError } from './store-error.js';
import type { RunListSort } from './store-types.js';

const id = '5b1c7a52-4a57-4d63-9f0a-0f6f9d0a5c11';
const byMetric: RunListSort = { field: 'metric', metric: 'mae', descending: false };
const byQueued: RunListSort = { field: 'queuedAt', descending: true };
const byName: RunListSort = { field: 'name', descending: false };

const decode = (v: string | null, sort: RunListSort, s = sort.field === 'metric' ? 'metric:mae' : sort.descending ? `-${sort.field}` : sort.field) =>
  decodeRunCursor(encodeRunCursor({ s, v, id }), sort);

describe('run cursors', () => {
  it('takes the keys PostgreSQL prints', () => {
    for (const v of ['0', '-0', '0.0', '0.4932', '-12.5', '1e-05', '2.5E+20', '4.9e-324', null]) {
      expect(decode(v, byMetric).v).toBe(v);
    }
    for (const v of ['2024-02-29 23:59:59.123', '2026-11-29 19:30:00']) expect(decode(v, byQueued).v).toBe(v);
    expect(decode('a name', byName).v).toBe('a name');
  });

  it('refuses forged keys that PostgreSQL would refuse, as a 400-class StoreError', () => {
    const forged: [string, RunListSort][] = [
      ['1e-400', byMetric], // 0 to JavaScript, "out of range" to PostgreSQL
      ['-1e-999', byMetric],
      ['1e400', byMetric],
      ['NaN', byMetric],
      ['0x10', byMetric],
      [' 1', byMetric],
      ['2024-02-30 00:00:00', byQueued], // Date.parse rolls it over into March
      ['2023-02-29 00:00:00', byQueued],
      ['2024-01-01 24:00:00', byQueued],
      ['0000-01-01 00:00:00', byQueued],
      ['2024-01-01T00:00:00Z', byQueued],
      ['a\u0000b', byName],
    ];
    for (const [v, sort] of forged) {
      let caught: unknown;
      try {
        decode(v, sort);
      } catch (error) {
        caught = error;
      }
      expect(caught, v).toBeInstanceOf(StoreError);
      expect((caught as StoreError).code).toBe('INVALID');
    }
  });
});
