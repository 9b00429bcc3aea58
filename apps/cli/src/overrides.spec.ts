import { describe, expect, it } from 'vitest';
import { applyOverrides, parseOverrides } from './overrides.js';

describe('overrides', () => {
  it('reads values as JSON where they are, else as text, and --epochs last', () => {
    expect(parseOverrides(['epochs=5', 'optimizer.name=adam', 'model.layers[0].units=8', 'split={"test":0.3}'], '7')).toEqual([
      { path: 'epochs', value: 5 },
      { path: 'optimizer.name', value: 'adam' },
      { path: 'model.layers[0].units', value: 8 },
      { path: 'split', value: { test: 0.3 } },
      { path: 'epochs', value: 7 },
    ]);
    expect(() => parseOverrides(['epochs'])).toThrow(/must be FIELD=VALUE/);
  });

  it("changes a definition, or a sweep's base, without touching the original", () => {
    const definition = { epochs: 20, optimizer: { name: 'sgd' }, model: { layers: [{ type: 'dense', units: 1 }] } };
    const changed = applyOverrides(definition, parseOverrides(['optimizer.learningRate=0.1', 'model.layers[0].units=4'], '5'));
    expect(changed).toEqual({ epochs: 5, optimizer: { name: 'sgd', learningRate: 0.1 }, model: { layers: [{ type: 'dense', units: 4 }] } });
    expect(definition.epochs).toBe(20);
    const sweep = { name: 's', base: definition, grid: { 'optimizer.learningRate': [0.1, 0.01] } };
    expect(applyOverrides(sweep, parseOverrides([], '3'))).toEqual({ ...sweep, base: { ...definition, epochs: 3 } });
  });

  it('refuses a path that is no field', () => {
    expect(() => applyOverrides({}, parseOverrides(['__proto__.x=1']))).toThrow(/--set __proto__\.x/);
  });
});
