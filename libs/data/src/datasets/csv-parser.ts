import { parseDelimitedText, type TableRecord } from '../tables/delimited-parser.js';

/** A record of a delimited text: 1-based line where it starts (quoted fields may span lines) and its fields. */
export type CsvRecord = TableRecord;

/**
 * Every record of a delimited text held in memory, the header first (see DelimitedParser: the
 * delimiter is detected from the header line; quotes, CRLF and a BOM are handled; blank lines
 * are skipped). Records are not checked against the header's width here.
 */
export function parseCsv(source: string): CsvRecord[] {
  return parseDelimitedText(source, { checkWidth: false }).records;
}
