import type { TableProfile } from '@trainyard/data/tables';
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../definition/parse-definition.js';
import { tableFacts, tableIssues } from './table-rules.js';

const column = (name: string, type: 'number' | 'category' | 'boolean' | 'text', extra: object = {}) => ({
  name,
  type,
  missing: 0,
  distinct: 10,
  distinctCapped: false,
  ...extra,
});

const profile: TableProfile = {
  format: 'csv',
  delimiter: ',',
  rows: 100,
  columns: [
    column('rooms', 'number', { missing: 5 }),
    column('district', 'category', { distinct: 4 }),
    column('balcony', 'boolean', { distinct: 2 }),
    column('note', 'text', { distinct: 97 }),
    column('price', 'number'),
    column('grade', 'category', { distinct: 3 }),
  ],
  preview: [],
};

function definition(dataset: object, extra: object = {}) {
  return parseDefinition({
    name: 't',
    dataset: { name: 'flats', ...dataset },
    model: { layers: [{ type: 'dense', units: 1 }] },
    optimizer: 'adam',
    loss: 'mse',
    epochs: 1,
    ...extra,
  });
}

const issuesOf = (dataset: object, extra: object = {}): Record<string, string> =>
  Object.fromEntries(tableIssues(definition(dataset, extra), profile).map((i) => [i.path, i.message]));

describe('tableIssues', () => {
  it('accepts a good definition', () => {
    expect(issuesOf({ target: 'price', features: ['rooms', 'district', 'balcony'] })).toEqual({});
    expect(issuesOf({ target: 'price' }, { preprocessing: { columns: { note: { type: 'category' } } } })).toEqual({});
  });

  it('names missing target and feature columns, listing the available ones', () => {
    const issues = issuesOf({ target: 'cost', features: ['rooms', 'size'] });
    expect(issues['dataset.target']).toBe("'cost' is not a column of the table; available columns: rooms, district, balcony, note, price, grade");
    expect(issues['dataset.features[1]']).toMatch(/^'size' is not a column of the table; available columns: rooms/);
    const two = issuesOf({ target: ['price', 'x'], features: ['rooms'] }, { model: { layers: [{ type: 'dense', units: 2 }] } });
    expect(Object.keys(two)).toEqual(['dataset.target[1]']);
  });

  it('refuses a column as both feature and target, and a free-text feature saying how to fix it', () => {
    expect(issuesOf({ target: 'price', features: ['rooms', 'price'] })['dataset.features[1]']).toMatch(/'price' is a target/);
    expect(issuesOf({ target: 'price', features: ['note'] })['dataset.features[0]']).toBe(
      `'note' is free text (97 distinct values in 100 rows), which cannot be a feature: leave it out with dataset.features or set preprocessing.columns.note.type to "category"`,
    );
    expect(issuesOf({ target: 'price' })['dataset.features']).toMatch(/'note' is free text/);
  });

  it('needs a number column without missing cells as a regression target', () => {
    expect(issuesOf({ target: 'district', features: ['rooms'] })['dataset.target']).toMatch(/'district' is a category column; a regression target must be a number column/);
    expect(issuesOf({ target: 'rooms', features: ['district'] })['dataset.target']).toMatch(/'rooms' has 5 missing cells/);
    expect(issuesOf({ target: 'grade', features: ['rooms'], task: 'classification' }, { loss: 'sparse_categorical_crossentropy', model: { layers: [{ type: 'dense', units: 3, activation: 'softmax' }] } })).toEqual({});
  });

  it('checks preprocessing.columns against the columns and their types', () => {
    const issues = issuesOf(
      { target: 'price', features: ['rooms', 'district', 'balcony'] },
      {
        preprocessing: {
          columns: {
            colour: { impute: 'drop' },
            district: { type: 'number', impute: 'median' },
            balcony: { impute: 'constant' },
            rooms: { impute: 'constant', fillValue: 'many' },
          },
        },
      },
    );
    expect(issues['preprocessing.columns.colour']).toMatch(/'colour' is not a column of the table; available columns: rooms/);
    expect(issues['preprocessing.columns.district.type']).toMatch(/'district' holds texts that are not numbers \(inferred category\)/);
    expect(issues['preprocessing.columns.balcony.fillValue']).toBe('is required with impute "constant"');
    expect(issues['preprocessing.columns.rooms.fillValue']).toBe("must be a number for the number column 'rooms'");
    const category = issuesOf({ target: 'price', features: ['district'] }, { preprocessing: { columns: { district: { impute: 'mean' } } } });
    expect(category['preprocessing.columns.district.impute']).toMatch(/needs a number column; 'district' is a category column/);
  });

  it('checks predict rows give numbers for number columns', () => {
    const issues = issuesOf({ target: 'price', features: ['rooms', 'district'] }, { predict: [[3, 'north'], ['3.5', null], [null, 'x'], ['', 'y'], ['many', 'x']] });
    expect(issues).toEqual({ 'predict[4][0]': "must be a number (or null for missing) for the number column 'rooms'" });
  });
});

describe('tableFacts', () => {
  it('gives task, targets, feature columns, classes and rows for the definition checks', () => {
    expect(tableFacts(definition({ target: 'price' }), profile)).toEqual({ task: 'regression', targets: 1, features: 5, rows: 100 });
    const classes = definition({ target: 'grade', features: ['rooms'], task: 'classification' }, { loss: 'sparse_categorical_crossentropy', model: { layers: [{ type: 'dense', units: 3, activation: 'softmax' }] }, preprocessing: { columns: { rooms: { impute: 'drop' } } } });
    expect(tableFacts(classes, profile)).toEqual({ task: 'classification', targets: 1, features: 1, classes: 3, rows: 95 });
  });
});
