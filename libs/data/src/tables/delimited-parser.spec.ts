import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { DelimitedParser, detectDelimiter, MAX_HEADER_CHARS, parseDelimitedText, type TableRecord } from './delimited-parser.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Feeds the bytes in chunks of `size` bytes (splitting UTF-8 sequences, CRLF pairs and quotes). */
function parseChunked(data: Uint8Array, size: number): TableRecord[] {
  const parser = new DelimitedParser();
  const out: TableRecord[] = [];
  for (let i = 0; i < data.length; i += size) out.push(...parser.push(data.subarray(i, i + size)));
  out.push(...parser.end());
  return out;
}

function parseError(text: string): DatasetError {
  try {
    parseDelimitedText(text);
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('expected a DatasetError');
}

describe('DelimitedParser', () => {
  it('detects comma, semicolon and tab from the header line, counting outside quotes', () => {
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a;b;"c,d"')).toBe(';');
    expect(detectDelimiter('a\tb\t"x;y;z"')).toBe('\t');
    expect(detectDelimiter('"a,b,c";d;e')).toBe(';');
    expect(detectDelimiter('single')).toBe(',');
    expect(parseDelimitedText('a;b\n1,5;2\n').records[1]?.fields).toEqual(['1,5', '2']);
    expect(parseDelimitedText('a\tb\n1\t2\n').delimiter).toBe('\t');
  });

  it('reads quoted fields with delimiters, line ends and doubled quotes, CRLF and a BOM, with the line each record starts on', () => {
    const text = '\uFEFFname,note\r\n"Smith, J","said ""hi""\r\nthen left"\r\n\r\nx,""\r\n';
    const expected = [
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Smith, J', 'said "hi"\r\nthen left'] },
      { line: 5, fields: ['x', ''] },
    ];
    expect(parseChunked(bytes(text), 1 << 20)).toEqual(expected);
    // Every chunk boundary gives the same records, even inside a UTF-8 sequence or a CRLF.
    for (const size of [1, 2, 3, 5, 7]) expect(parseChunked(bytes(text), size)).toEqual(expected);
    expect(parseChunked(bytes('ü,é\n"ö",ß'), 1)).toEqual([
      { line: 1, fields: ['ü', 'é'] },
      { line: 2, fields: ['ö', 'ß'] },
    ]);
  });

  it('accepts a last record without a line end and lone CR line ends', () => {
    expect(parseDelimitedText('a,b\r1,2\r3,4').records.map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });

  it('refuses a record with another field count than the header, naming its line', () => {
    const error = parseError('a,b\n1,2\n\n3\n');
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('line 4: expected 2 fields like the header, found 1');
    expect(parseDelimitedText('a,b\n1\n', { checkWidth: false }).records).toHaveLength(2);
  });

  it('refuses an unterminated quote and text after a closing quote, naming the line and column', () => {
    expect(parseError('a,b\n1,"open\nmore\n').message).toBe("line 2, column 'b': quoted field is never closed");
    expect(parseError('a,b\n"x"y,2\n').message).toBe("line 2, column 'a': text after the closing quote of a quoted field");
    expect(parseDelimitedText('a,b\n"x" ,2\n').records[1]?.fields).toEqual(['x', '2']);
  });

  it('refuses a header line without an end past MAX_HEADER_CHARS, holding no more of it', () => {
    const parser = new DelimitedParser();
    expect(() => {
      for (let i = 0; i < 5; i++) parser.push(bytes('x'.repeat(MAX_HEADER_CHARS / 4 + 1)));
    }).toThrow(/line 1: no end of the header line/);
  });

  it('refuses bytes that are not UTF-8', () => {
    const parser = new DelimitedParser();
    expect(() => {
      parser.push(new Uint8Array([0x61, 0x0a, 0xff, 0xfe, 0x0a]));
      parser.end();
    }).toThrow(/not UTF-8 text/);
  });
});
