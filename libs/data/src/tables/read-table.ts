import { DatasetError } from '../errors/dataset-error.js';
import { DelimitedParser, type TableRecord } from './delimited-parser.js';
import type { Delimiter } from './table-types.js';

export interface TableHead {
  /** Column names, trimmed. */
  header: string[];
  delimiter: Delimiter;
}

/** Bytes of a table, as one chunk or a stream of them. */
export type TableBytes = Uint8Array | AsyncIterable<Uint8Array>;

async function* chunksOf(source: TableBytes): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    // Parsed in slices so the decoded text never holds the whole file at once.
    const slice = 4 << 20;
    for (let start = 0; start < source.byteLength; start += slice) yield source.subarray(start, start + slice);
  } else {
    yield* source;
  }
}

/**
 * Reads a delimited table record by record: `onHead` gets the header and returns what to do
 * with each following record. Memory holds one chunk at a time; the caller decides what to keep.
 * Throws DatasetError EMPTY for a file without a header, PARSE_ERROR with the line otherwise.
 */
export async function readTable(
  source: TableBytes,
  onHead: (head: TableHead) => (record: TableRecord) => void,
): Promise<TableHead & { rows: number }> {
  const parser = new DelimitedParser();
  let head: TableHead | undefined;
  let onRecord: ((record: TableRecord) => void) | undefined;
  let rows = 0;
  const take = (records: TableRecord[]): void => {
    for (const record of records) {
      if (!onRecord) {
        head = { header: record.fields.map((name) => name.trim()), delimiter: parser.delimiter ?? ',' };
        onRecord = onHead(head);
      } else {
        rows += 1;
        onRecord(record);
      }
    }
  };
  for await (const chunk of chunksOf(source)) take(parser.push(chunk));
  take(parser.end());
  if (!head) throw new DatasetError('EMPTY', 'the table is empty: no header line');
  return { ...head, rows };
}
