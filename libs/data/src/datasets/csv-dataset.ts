import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { parseCsv, type CsvRecord } from './csv-parser.js';
import { listNames, quoteCell, quoteName } from './quote-data.js';
import type { Dataset, Task } from './dataset.js';

export interface CsvDatasetSpec {
  path: string;
  target: string | string[];
  features?: string[];
  task?: Task;
}

async function readSource(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') {
      throw new DatasetError('NOT_FOUND', `CSV file not found: ${path}`, { cause: error });
    }
    throw error;
  }
}

function columnIndex(header: string[], column: string, role: string): number {
  const index = header.indexOf(column);
  if (index === -1) {
    throw new DatasetError(
      'MISSING_COLUMN',
      `${role} column ${quoteName(column)} is not in the CSV header; available columns: ${listNames(header)}`,
    );
  }
  return index;
}

function numberAt(record: CsvRecord, index: number, column: string): number {
  const cell = (record.fields[index] ?? '').trim();
  const value = cell === '' ? Number.NaN : Number(cell);
  if (!Number.isFinite(value)) {
    throw new DatasetError('PARSE_ERROR', `line ${record.line}, column ${quoteName(column)}: ${quoteCell(cell)} is not a number`);
  }
  return value;
}

/** Class names in a stable order: numeric order when every label is a number, else code-point order. */
function sortedClasses(labels: string[]): string[] {
  const distinct = [...new Set(labels)];
  if (distinct.every((label) => label !== '' && Number.isFinite(Number(label)))) {
    return distinct.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A dataset from a CSV file with a header row; the hash is the file's sha256. */
export async function csvDataset(spec: CsvDatasetSpec): Promise<Dataset> {
  const task = spec.task ?? 'regression';
  const targets = typeof spec.target === 'string' ? [spec.target] : [...spec.target];
  if (targets.length === 0) throw new DatasetError('INVALID_SPEC', 'dataset.target must name at least one column');
  if (task === 'classification' && targets.length !== 1) {
    throw new DatasetError('INVALID_SPEC', `classification needs exactly one target column, got ${targets.join(', ')}`);
  }
  const bytes = await readSource(spec.path);
  const records = parseCsv(new TextDecoder().decode(bytes));
  const [headerRecord, ...body] = records;
  if (!headerRecord) throw new DatasetError('EMPTY', `CSV file is empty: ${spec.path}`);
  if (body.length === 0) throw new DatasetError('EMPTY', `CSV file has a header but no rows: ${spec.path}`);
  const header = headerRecord.fields.map((name) => name.trim());

  const targetIndices = targets.map((column) => columnIndex(header, column, 'target'));
  const features = spec.features ?? header.filter((name) => !targets.includes(name));
  if (features.length === 0) throw new DatasetError('INVALID_SPEC', `CSV file ${spec.path} has no feature columns`);
  const overlap = features.filter((name) => targets.includes(name));
  if (overlap.length > 0) {
    throw new DatasetError('INVALID_SPEC', `column(s) ${overlap.join(', ')} cannot be both feature and target`);
  }
  const featureIndices = features.map((column) => columnIndex(header, column, 'feature'));

  for (const record of body) {
    if (record.fields.length !== header.length) {
      throw new DatasetError(
        'PARSE_ERROR',
        `line ${record.line}: expected ${header.length} fields like the header, found ${record.fields.length}`,
      );
    }
  }
  const x = body.map((record) => featureIndices.map((index, i) => numberAt(record, index, features[i] ?? '')));

  let y: number[][];
  let classNames: string[] | undefined;
  if (task === 'classification') {
    const labelIndex = targetIndices[0] ?? 0;
    const labels = body.map((record) => {
      const label = (record.fields[labelIndex] ?? '').trim();
      if (label === '') throw new DatasetError('PARSE_ERROR', `line ${record.line}, column ${quoteName(targets[0] ?? '')}: empty label`);
      return label;
    });
    classNames = sortedClasses(labels);
    const indexOf = new Map(classNames.map((name, i) => [name, i]));
    y = labels.map((label) => [indexOf.get(label) ?? -1]);
  } else {
    y = body.map((record) => targetIndices.map((index, i) => numberAt(record, index, targets[i] ?? '')));
  }

  const dataset: Dataset = {
    name: 'csv',
    task,
    description: `CSV file ${basename(spec.path)} (${spec.path}), ${body.length} rows.`,
    featureNames: features,
    targetNames: targets,
    x,
    y,
    featureShape: [features.length],
    hash: sha256Hex(bytes),
  };
  if (classNames) dataset.classNames = classNames;
  return dataset;
}
