import { experimentDefinitionSchema } from '@trainyard/contract';
import { describe, expect, it } from 'vitest';
import { definitionForDisplay } from './run-definition-order.js';

/** A definition as the API answers it: through the contract's schema, the columns as JSONB keeps them (shortest key first). */
const definition = experimentDefinitionSchema.parse({
  name: 'apartments',
  dataset: { name: 'apartments', version: 1, target: 'price_k' },
  preprocessing: { features: 'standard', columns: { heating: { impute: 'constant', fillValue: 'none' }, notacolumn: { type: 'number' }, year_built: { impute: 'mean' } } },
  model: { layers: [{ type: 'dense', units: 1 }] },
  optimizer: 'adam',
  loss: 'mse',
  epochs: 2,
});

describe('the definition shown on the run page', () => {
  it("puts preprocessing.columns in the table's column order, names it does not have last", () => {
    const shown = definitionForDisplay(definition, ['area_m2', 'year_built', 'district', 'heating', 'price_k']);
    expect(Object.keys(shown.preprocessing.columns ?? {})).toEqual(['year_built', 'heating', 'notacolumn']);
    expect(shown.preprocessing.columns?.['year_built']).toEqual({ impute: 'mean' });
  });

  it("keeps every other field in the contract schema's order, the order of the examples", () => {
    const shown = definitionForDisplay(definition, []);
    expect(Object.keys(shown)).toEqual(['name', 'dataset', 'preprocessing', 'split', 'model', 'optimizer', 'loss', 'metrics', 'epochs', 'batchSize']);
    expect(Object.keys(shown.preprocessing)).toEqual(['features', 'target', 'columns']);
  });

  it('returns a definition without columns as it is', () => {
    const plain = experimentDefinitionSchema.parse({ name: 'x', dataset: { name: 'sum' }, model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: 'sgd', loss: 'mse', epochs: 1 });
    expect(definitionForDisplay(plain, ['a', 'b'])).toBe(plain);
  });
});
