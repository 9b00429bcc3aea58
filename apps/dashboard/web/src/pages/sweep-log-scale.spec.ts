import { describe, expect, it } from 'vitest';
import { logAllowed, logByDefault } from './sweep-log-scale.js';

describe('the log-scale default of a sweep axis', () => {
  it('starts in log scale when the values span two decades or more, the learning rates 0.001, 0.01, 0.1 included', () => {
    expect(logByDefault([0.001, 0.01, 0.1])).toBe(true);
    expect(logByDefault([0.0001, 0.03])).toBe(true);
    expect(logByDefault([0.003, 0.01, 0.03])).toBe(false);
    expect(logByDefault([2, 4, 8])).toBe(false);
  });

  it('never offers log scale for a value of 0 or below (an r2, a parameter that can be 0)', () => {
    expect(logAllowed([0.5, 2])).toBe(true);
    expect(logAllowed([0, 0.1, 10])).toBe(false);
    expect(logAllowed([-0.2, 0.9])).toBe(false);
    expect(logAllowed([])).toBe(false);
    expect(logByDefault([0, 0.001, 1])).toBe(false);
  });
});
