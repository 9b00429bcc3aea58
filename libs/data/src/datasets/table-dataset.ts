import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { isMissingText, parseBooleanText, parseNumberText } from '../tables/cells.js';
import { ColumnStats } from '../tables/column-stats.js';
import { readTable } from '../tables/read-table.js';
import type { Cell, ColumnOptions, ColumnType } from '../tables/table-types.js';
import type { Dataset, FeatureType, Task } from './dataset.js';
import { listNames, quoteCell, quoteName } from './quote-data.js';

export interface TableSpec {
  target: string | string[];
  features?: string[];
  task?: Task;
}

export interface TableSource {
  /** The dataset's name in the run's record: 'csv' or the registered name. */
  name: string;
  /** Where the bytes came from, for messages: a full path or `housing@2`. */
  label: string;
  bytes: Uint8Array;
  /** preprocessing.columns of the definition: type overrides and `impute: 'drop'`. */
  columns?: Record<string, ColumnOptions>;
}

interface Row {
  line: number;
  fields: string[];
}

function columnIndex(header: string[], column: string, role: string): number {
  const index = header.indexOf(column);
  if (index === -1) {
    throw new DatasetError('MISSING_COLUMN', `${role} column ${quoteName(column)} is not in the table's header; available columns: ${listNames(header)}`);
  }
  return index;
}

/** Class names in a stable order: numeric order when every label is a number, else code-point order. */
function sortedClasses(labels: string[]): string[] {
  const distinct = [...new Set(labels)];
  if (distinct.every((label) => parseNumberText(label) !== undefined)) {
    return distinct.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A column's type: the definition's override, else inferred over every row (see inferColumnType). */
function columnType(rows: Row[], index: number, override: ColumnOptions['type']): { type: ColumnType; distinct: number } {
  const stats = new ColumnStats();
  for (const row of rows) stats.add(row.fields[index] ?? '');
  return { type: override ?? stats.type(), distinct: stats.profile('').distinct };
}

function featureCell(text: string, type: FeatureType, line: number, column: string): Cell {
  if (isMissingText(text)) return null;
  if (type === 'category') return text.trim();
  if (type === 'boolean') {
    const value = parseBooleanText(text);
    if (value === undefined) {
      throw new DatasetError('PARSE_ERROR', `line ${line}, column ${quoteName(column)}: ${quoteCell(text.trim())} is not a boolean (true/false/yes/no)`);
    }
    return value;
  }
  const value = parseNumberText(text);
  if (value === undefined) throw new DatasetError('PARSE_ERROR', `line ${line}, column ${quoteName(column)}: ${quoteCell(text.trim())} is not a number`);
  return value;
}

function targetText(row: Row, index: number, column: string): string {
  const text = (row.fields[index] ?? '').trim();
  if (isMissingText(text)) {
    throw new DatasetError(
      'PARSE_ERROR',
      `line ${row.line}, column ${quoteName(column)}: the target is missing; every row needs a target to train on (remove the row or fill it in)`,
    );
  }
  return text;
}

/**
 * A dataset from a delimited table with a header (see DelimitedParser). Features keep their raw
 * cells, typed per column; a text column is refused as a feature. Regression targets must be
 * number columns; a row with a missing target is an error naming its line (it is not dropped
 * silently). Rows with a missing cell in a column whose `impute` is `drop` are left out here,
 * before any split.
 */
export async function tableDataset(spec: TableSpec, source: TableSource): Promise<Dataset> {
  const task = spec.task ?? 'regression';
  const targets = typeof spec.target === 'string' ? [spec.target] : [...spec.target];
  if (targets.length === 0) throw new DatasetError('INVALID_SPEC', 'dataset.target must name at least one column');
  if (task === 'classification' && targets.length !== 1) {
    throw new DatasetError('INVALID_SPEC', `classification needs exactly one target column, got ${targets.join(', ')}`);
  }
  let rows: Row[] = [];
  const { header } = await readTable(source.bytes, () => (record) => rows.push(record));
  if (rows.length === 0) throw new DatasetError('EMPTY', `the table has a header but no rows: ${source.label}`);

  const options = source.columns ?? {};
  for (const name of Object.keys(options)) columnIndex(header, name, 'preprocessing.columns');
  const targetIndices = targets.map((column) => columnIndex(header, column, 'target'));
  const features = spec.features ?? header.filter((name) => !targets.includes(name));
  if (features.length === 0) throw new DatasetError('INVALID_SPEC', `the table ${source.label} has no feature columns`);
  const overlap = features.filter((name) => targets.includes(name));
  if (overlap.length > 0) throw new DatasetError('INVALID_SPEC', `column(s) ${listNames(overlap)} cannot be both feature and target`);
  const featureIndices = features.map((column) => columnIndex(header, column, 'feature'));

  const dropped = Object.entries(options).flatMap(([name, o]) => (o.impute === 'drop' ? [header.indexOf(name)] : []));
  if (dropped.length > 0) {
    rows = rows.filter((row) => dropped.every((c) => !isMissingText(row.fields[c] ?? '')));
    if (rows.length === 0) throw new DatasetError('EMPTY', `no row is left once rows with missing cells in ${dropped.map((c) => header[c]).join(', ')} are dropped`);
  }

  const featureTypes = featureIndices.map((index, i): FeatureType => {
    const column = features[i] ?? '';
    const { type, distinct } = columnType(rows, index, options[column]?.type);
    if (type === 'text') {
      throw new DatasetError(
        'INVALID_SPEC',
        `feature column ${quoteName(column)} is free text (${distinct} distinct values in ${rows.length} rows), which cannot be a feature: ` +
          `leave it out with dataset.features or set preprocessing.columns.${column}.type to "category"`,
      );
    }
    return type;
  });
  const x = rows.map((row) =>
    featureIndices.map((index, i) => featureCell(row.fields[index] ?? '', featureTypes[i] ?? 'number', row.line, features[i] ?? '')),
  );

  let y: number[][];
  let classNames: string[] | undefined;
  if (task === 'classification') {
    const index = targetIndices[0] ?? 0;
    const labels = rows.map((row) => targetText(row, index, targets[0] ?? ''));
    classNames = sortedClasses(labels);
    const indexOf = new Map(classNames.map((name, i) => [name, i]));
    y = labels.map((label) => [indexOf.get(label) ?? -1]);
  } else {
    targetIndices.forEach((index, i) => {
      const column = targets[i] ?? '';
      const { type } = columnType(rows, index, options[column]?.type);
      if (type !== 'number') {
        throw new DatasetError('INVALID_SPEC', `regression target ${quoteName(column)} is a ${type} column; a regression target must be a number column (or use task "classification")`);
      }
    });
    y = rows.map((row) =>
      targetIndices.map((index, i) => {
        const column = targets[i] ?? '';
        const text = targetText(row, index, column);
        const value = parseNumberText(text);
        if (value === undefined) throw new DatasetError('PARSE_ERROR', `line ${row.line}, column ${quoteName(column)}: ${quoteCell(text)} is not a number`);
        return value;
      }),
    );
  }

  const dataset: Dataset = {
    name: source.name,
    task,
    description: `Table ${source.label}, ${rows.length} rows.`,
    featureNames: features,
    targetNames: targets,
    x,
    y,
    featureTypes,
    featureShape: [features.length],
    hash: sha256Hex(source.bytes),
  };
  if (classNames) dataset.classNames = classNames;
  return dataset;
}
