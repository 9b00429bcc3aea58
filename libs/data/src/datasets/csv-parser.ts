import { DatasetError } from '../errors/dataset-error.js';

export interface CsvRecord {
  /** 1-based line of the file where the record starts (quoted fields may span lines). */
  line: number;
  fields: string[];
}

/**
 * RFC 4180-style CSV: comma separated, fields optionally in double quotes with "" as an
 * escaped quote, quoted fields may hold commas and newlines, CRLF or LF line ends.
 * Blank lines are skipped; a leading UTF-8 BOM is dropped.
 */
export function parseCsv(source: string): CsvRecord[] {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let i = 0;

  const endRecord = (): void => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };

  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      line += 1;
      recordLine = line;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted) throw new DatasetError('PARSE_ERROR', `line ${quoteLine}: quoted field is never closed`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
