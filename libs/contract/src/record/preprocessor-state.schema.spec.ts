import { Preprocessor } from '@trainyard/data';
import { describe, expect, it } from 'vitest';
import { preprocessorStateSchema } from './preprocessor-state.schema.js';

describe('preprocessorStateSchema', () => {
  it('reads both versions as libs/data writes them', () => {
    const v1 = Preprocessor.fit({ features: 'minmax', target: 'standard' }, { x: [[1], [2]], y: [[1], [3]] }, { task: 'regression', featureNames: ['a'], targetNames: ['y'] });
    const v2 = Preprocessor.fit(
      { features: 'standard', target: 'none' },
      { x: [[1, 'red'], [null, null]], y: [[0], [1]] },
      { task: 'classification', featureNames: ['a', 'color'], featureTypes: ['number', 'category'], targetNames: ['label'], classNames: ['no', 'yes'] },
    );
    expect(preprocessorStateSchema.parse(JSON.parse(JSON.stringify(v1.toJSON())))).toEqual(v1.toJSON());
    expect(preprocessorStateSchema.parse(JSON.parse(JSON.stringify(v2.toJSON())))).toEqual(v2.toJSON());
    expect(v2.toJSON()).toMatchObject({ version: 2, columns: [{ type: 'number', impute: 'median', fillValue: 1 }, { type: 'category', categories: ['(missing)', 'red'] }] });
  });

  it("reads the 'pixels' scaling of image datasets with its maximum, and refuses it without one", () => {
    const pixels = Preprocessor.fit({ features: 'pixels', target: 'none' }, { x: [[0, 255]], y: [[1]] }, { task: 'classification', featureNames: ['p0', 'p1'], targetNames: ['label'], classNames: ['a', 'b'], pixelMax: 255 });
    expect(preprocessorStateSchema.parse(JSON.parse(JSON.stringify(pixels.toJSON())))).toMatchObject({ features: { kind: 'pixels', max: 255 } });
    expect(preprocessorStateSchema.safeParse({ ...pixels.toJSON(), features: { kind: 'pixels' } }).success).toBe(false);
  });

  it('refuses an unknown version and a column state without categories', () => {
    expect(preprocessorStateSchema.safeParse({ version: 3 }).success).toBe(false);
    const bad = { version: 2, task: 'regression', featureNames: ['c'], targetNames: ['y'], features: { kind: 'none' }, target: { kind: 'none' }, columns: [{ name: 'c', type: 'category', impute: 'missing_category', categories: [] }] };
    expect(preprocessorStateSchema.safeParse(bad).success).toBe(false);
  });
});
