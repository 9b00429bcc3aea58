import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@trainyard/contract';
import { specHash } from './spec-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('gives equal hashes to equal definitions written in another key order', () => {
    expect(specHash({ a: 1, b: [1, 2] })).toBe(specHash({ b: [1, 2], a: 1 }));
    expect(specHash({ a: 1, b: [1, 2] })).not.toBe(specHash({ a: 1, b: [2, 1] }));
    expect(specHash({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
