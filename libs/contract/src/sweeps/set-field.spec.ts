import { afterEach, describe, expect, it } from 'vitest';
import { setField } from './set-field.js';

afterEach(() => {
  // Should a regression pollute the prototype, leave the other tests a clean one.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('setField', () => {
  it('sets a deep value on a copy, leaving the input as it was', () => {
    const base = { optimizer: { name: 'sgd', learningRate: 0.01 }, model: { layers: [{ units: 1 }, { units: 2 }] } };
    const out = setField(setField(base, 'optimizer.learningRate', 0.1), 'model.layers[1].units', 8);
    expect(out).toEqual({ optimizer: { name: 'sgd', learningRate: 0.1 }, model: { layers: [{ units: 1 }, { units: 8 }] } });
    expect(base.optimizer.learningRate).toBe(0.01);
    expect(base.model.layers[1]?.units).toBe(2);
  });

  it('creates missing objects and lists on the way', () => {
    expect(setField({ epochs: 3 }, 'earlyStopping.patience', 2)).toEqual({ epochs: 3, earlyStopping: { patience: 2 } });
    const out = setField({}, 'model.layers[1].units', 4);
    expect(Array.isArray((out.model as { layers: unknown }).layers)).toBe(true);
    expect((out.model as { layers: unknown[] }).layers[1]).toEqual({ units: 4 });
  });

  it('replaces a value of the wrong kind on the way with a fresh object or list', () => {
    expect(setField({ split: 5 }, 'split.test', 0.3)).toEqual({ split: { test: 0.3 } });
    expect(setField({ model: { layers: { 0: 'x' } } }, 'model.layers[0].units', 1)).toEqual({ model: { layers: [{ units: 1 }] } });
  });

  it.each(['__proto__.polluted', 'constructor.prototype.polluted', 'optimizer.__proto__.polluted', 'prototype'])(
    'refuses %s and leaves Object.prototype alone',
    (path) => {
      expect(() => setField({ optimizer: {} }, path, 1)).toThrow(/is never a field/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('reads only own properties: an inherited value is not walked into', () => {
    const out = setField({}, 'toString.x', 1);
    expect(Object.hasOwn(out, 'toString')).toBe(true);
    expect(out.toString).toEqual({ x: 1 });
    expect(typeof ({} as { toString: unknown }).toString).toBe('function');
  });
});
