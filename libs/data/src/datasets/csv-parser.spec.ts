import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-parser.js';

describe('parseCsv', () => {
  it('splits fields and records with LF or CRLF and skips blank lines', () => {
    expect(parseCsv('a,b\r\n1,2\n\n3,\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', ''] },
    ]);
  });

  it('handles quoted fields with commas, escaped quotes and newlines, and keeps line numbers right', () => {
    const records = parseCsv('\uFEFFname,note\n"Smith, J","said ""hi""\nthen left"\nx,y');
    expect(records).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Smith, J', 'said "hi"\nthen left'] },
      { line: 4, fields: ['x', 'y'] },
    ]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('a\n"open,1\n2')).toThrow(/line 2, column 'a': quoted field is never closed/);
  });
});
