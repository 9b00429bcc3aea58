import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-body.js';

describe('jsonDepth', () => {
  it('counts the deepest nesting of arrays and objects', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('[[]] ')).toBe(2);
    expect(jsonDepth('['.repeat(10_000) + ']'.repeat(10_000))).toBe(10_000);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"name":"[[[{{{"}')).toBe(1);
    expect(jsonDepth('{"name":"a\\\\"}')).toBe(1);
    expect(jsonDepth('{"name":"a\\"[[[["}')).toBe(1);
  });
});
