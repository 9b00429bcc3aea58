import { DatasetError } from '../errors/dataset-error.js';
import { isMissingText, parseNumberText } from './cells.js';
import { ColumnStats } from './column-stats.js';
import { readTable } from './read-table.js';
import { HISTOGRAM_BINS, PREVIEW_ROWS, type Cell, type ColumnProfile, type Histogram, type TableProfile } from './table-types.js';

function histogramEdges(min: number, max: number): number[] {
  if (min === max) return [min, max];
  return Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? max : min + ((max - min) * i) / HISTOGRAM_BINS));
}

function binOf(value: number, min: number, max: number, bins: number): number {
  if (max === min) return 0;
  return Math.min(bins - 1, Math.floor(((value - min) / (max - min)) * bins));
}

function previewCell(text: string, column: ColumnProfile | undefined): Cell {
  if (isMissingText(text)) return null;
  if (column?.type === 'number') return parseNumberText(text) ?? text.trim();
  return text.trim();
}

/**
 * Profiles a table over every row: each column's inferred type (see inferColumnType), missing
 * count, distinct count (capped), exact min/max/mean/std and a histogram for numbers, the most
 * frequent values for the others, and the first PREVIEW_ROWS rows. `open` is called once for
 * the statistics and once more for the histograms when there are number columns; memory is
 * bounded by a chunk and DISTINCT_CAP values per column, not by the file.
 */
export async function profileTable(open: () => AsyncIterable<Uint8Array>): Promise<TableProfile> {
  let stats: ColumnStats[] = [];
  const preview: string[][] = [];
  const head = await readTable(open(), ({ header }) => {
    stats = header.map(() => new ColumnStats());
    return ({ fields }) => {
      for (let c = 0; c < fields.length; c++) stats[c]?.add(fields[c] ?? '');
      if (preview.length < PREVIEW_ROWS) preview.push(fields);
    };
  });
  if (head.rows === 0) throw new DatasetError('EMPTY', 'the table has a header but no rows');
  const columns = stats.map((column, c) => column.profile(head.header[c] ?? `column ${c + 1}`));

  const numeric = columns.flatMap((column, c) => (column.type === 'number' && column.min !== undefined ? [c] : []));
  if (numeric.length > 0) {
    const histograms = new Map<number, Histogram>(
      numeric.map((c) => {
        const edges = histogramEdges(columns[c]?.min ?? 0, columns[c]?.max ?? 0);
        return [c, { edges, counts: new Array<number>(edges.length - 1).fill(0) }];
      }),
    );
    await readTable(open(), () => ({ fields }) => {
      for (const c of numeric) {
        const value = parseNumberText(fields[c] ?? '');
        if (value === undefined) continue;
        const column = columns[c];
        const histogram = histograms.get(c);
        if (!column || !histogram) continue;
        const bin = binOf(value, column.min ?? value, column.max ?? value, histogram.counts.length);
        histogram.counts[bin] = (histogram.counts[bin] ?? 0) + 1;
      }
    });
    for (const [c, histogram] of histograms) {
      const column = columns[c];
      if (column) column.histogram = histogram;
    }
  }
  return {
    format: head.delimiter === '\t' ? 'tsv' : 'csv',
    delimiter: head.delimiter,
    rows: head.rows,
    columns,
    preview: preview.map((fields) => fields.map((text, c) => previewCell(text, columns[c]))),
  };
}
