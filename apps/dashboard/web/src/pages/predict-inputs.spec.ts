import type { ColumnProfile } from '@trainyard/data/tables';
import { describe, expect, it } from 'vitest';
import { featureInputs, rowOf } from './predict-inputs.js';

const column = (name: string, type: ColumnProfile['type'], top?: string[]): ColumnProfile => ({
  name,
  type,
  missing: 0,
  distinct: top?.length ?? 10,
  distinctCapped: false,
  ...(top ? { top: top.map((value) => ({ value, count: 1 })) } : {}),
});

describe('the predict form inputs', () => {
  it('asks for numbers, for a category or boolean from its values, and for free text where no values are known', () => {
    const columns = [column('x', 'number'), column('color', 'category', ['red', 'blue']), column('ok', 'boolean', ['true', 'false']), column('note', 'text', ['a'])];
    const none = { preprocessing: { features: 'none', target: 'none' } } as const;
    expect(featureInputs(['x', 'color', 'ok', 'other'], columns, none)).toEqual([
      { name: 'x', kind: 'number' },
      { name: 'color', kind: 'choice', values: ['red', 'blue'] },
      { name: 'ok', kind: 'choice', values: ['true', 'false'] },
      { name: 'other', kind: 'number' },
    ]);
    // The definition's type wins over the inferred one: a text column made a category, a category read as numbers.
    const overridden = { preprocessing: { features: 'none', target: 'none', columns: { note: { type: 'category' }, color: { type: 'number' } } } } as const;
    expect(featureInputs(['note', 'color'], columns, overridden)).toEqual([
      { name: 'note', kind: 'choice', values: ['a'] },
      { name: 'color', kind: 'number' },
    ]);
    expect(featureInputs(['c'], [column('c', 'category')], none)).toEqual([{ name: 'c', kind: 'text' }]);
  });

  it('sends numbers, texts and null for an empty field, and names a field that is not a number', () => {
    const inputs = featureInputs(['x', 'color'], [column('color', 'category', ['red'])], { preprocessing: { features: 'none', target: 'none' } });
    expect(rowOf(inputs, [' 2.5 ', 'red'])).toEqual([2.5, 'red']);
    expect(rowOf(inputs, ['', ''])).toEqual([null, null]);
    expect(rowOf(inputs, ['two', 'red'])).toBe('x must be a number (or empty for a missing value)');
  });
});
