import { DatasetError } from '../errors/dataset-error.js';
import { quoteCell } from './quote-data.js';

/** Rows of a header-less comma-separated numeric file; every line must have `columns` numbers. */
export function parseNumericTable(text: string, columns: number, source: string): number[][] {
  const rows: number[][] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const cells = line.split(',');
    if (cells.length !== columns) {
      throw new DatasetError('PARSE_ERROR', `${source} line ${index + 1}: expected ${columns} values, found ${cells.length}`);
    }
    rows.push(
      cells.map((cell) => {
        const value = cell.trim() === '' ? Number.NaN : Number(cell);
        if (!Number.isFinite(value)) {
          throw new DatasetError('PARSE_ERROR', `${source} line ${index + 1}: ${quoteCell(cell)} is not a number`);
        }
        return value;
      }),
    );
  });
  if (rows.length === 0) throw new DatasetError('EMPTY', `${source} has no rows`);
  return rows;
}
