import { DatasetError } from '../errors/dataset-error.js';
import { quoteName } from '../datasets/quote-data.js';
import type { Delimiter } from './table-types.js';

/** One record of a delimited file: its fields as text, and the 1-based line where it starts. */
export interface TableRecord {
  line: number;
  fields: string[];
}

export interface DelimitedParserOptions {
  /** Refuse a record whose field count differs from the header's (default true). */
  checkWidth?: boolean;
}

/** A header line longer than this is no table's (a binary file, say): refused rather than held. */
export const MAX_HEADER_CHARS = 1 << 20;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: a doubled quote or the end of the field, the next character says. */
  QuoteSeen,
  /** After a quoted field's closing quote: only a delimiter or a line end may follow. */
  Closed,
}

/** Comma, semicolon or tab, whichever the header line holds most of outside quotes (comma on a tie or none). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
  }
  let best: Delimiter = ',';
  for (const candidate of [';', '\t'] as const) if (counts[candidate] > counts[best]) best = candidate;
  return best;
}

/** Index just past the first line end outside quotes, or -1 while the first line is incomplete. */
function headerEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) return i;
  }
  return -1;
}

/**
 * A streaming parser of CSV/TSV text with a header (RFC 4180 quoting): push byte chunks as
 * they arrive and take the complete records back. The bytes are decoded as UTF-8 (a leading
 * BOM is dropped); the delimiter is detected from the header line. Quoted fields may hold
 * delimiters, line ends and doubled quotes; lines end with LF, CRLF or CR; blank lines are
 * skipped. Memory holds one chunk and the record being read, never the file.
 */
export class DelimitedParser {
  // Not `fatal` (several times slower): a replacement character in the text is refused instead.
  private readonly decoder = new TextDecoder('utf-8');
  private readonly checkWidth: boolean;
  private delimiterCode = -1;
  private detected: Delimiter | undefined;
  private pending = '';
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private line = 1;
  private recordLine = 1;
  private quoteLine = 0;
  private afterCR = false;
  private header: string[] | undefined;
  private bytes = 0;

  constructor(options: DelimitedParserOptions = {}) {
    this.checkWidth = options.checkWidth ?? true;
  }

  /** The delimiter, once the header line has been read. */
  get delimiter(): Delimiter | undefined {
    return this.detected;
  }

  push(chunk: Uint8Array): TableRecord[] {
    const text = this.decode(chunk, true);
    this.bytes += chunk.byteLength;
    return this.feed(text);
  }

  /** Pushes decoded text (tests, strings already in memory). */
  pushText(text: string): TableRecord[] {
    return this.feed(text);
  }

  /** The records left once the input has ended; throws on an unterminated quote. */
  end(): TableRecord[] {
    const out = this.feed(this.decode(new Uint8Array(0), false), true);
    if (this.state === State.Quoted) {
      throw new DatasetError('PARSE_ERROR', `line ${this.quoteLine}, ${this.columnLabel()}: quoted field is never closed`);
    }
    if (this.state !== State.FieldStart || this.fields.length > 0) this.endRecord(out, false);
    return out;
  }

  private decode(chunk: Uint8Array, stream: boolean): string {
    const text = this.decoder.decode(chunk, { stream });
    if (text.includes('\uFFFD')) {
      throw new DatasetError('PARSE_ERROR', `line ${this.line}: the file is not UTF-8 text (near byte ${this.bytes}); save it as UTF-8`);
    }
    return text;
  }

  private feed(text: string, last = false): TableRecord[] {
    const out: TableRecord[] = [];
    if (this.delimiterCode < 0) {
      this.pending += text;
      const end = headerEnd(this.pending);
      if (end < 0 && this.pending.length > MAX_HEADER_CHARS) {
        throw new DatasetError('PARSE_ERROR', `line 1: no end of the header line in the first ${MAX_HEADER_CHARS} characters; is this a table?`);
      }
      if (end < 0 && !last) return out;
      this.detected = detectDelimiter(end < 0 ? this.pending : this.pending.slice(0, end));
      this.delimiterCode = this.detected.charCodeAt(0);
      text = this.pending;
      this.pending = '';
    }
    this.consume(text, out);
    return out;
  }

  private columnLabel(): string {
    const index = this.fields.length;
    const name = this.header?.[index];
    return name === undefined ? `column ${index + 1}` : `column ${quoteName(name.trim())}`;
  }

  /** Ends the record being read (`blank`: a line with nothing on it, skipped). */
  private endRecord(out: TableRecord[], blank: boolean): void {
    this.fields.push(this.field);
    this.field = '';
    const fields = this.fields;
    this.fields = [];
    this.state = State.FieldStart;
    if (blank) return;
    if (!this.header) {
      this.header = fields;
    } else if (this.checkWidth && fields.length !== this.header.length) {
      throw new DatasetError(
        'PARSE_ERROR',
        `line ${this.recordLine}: expected ${this.header.length} fields like the header, found ${fields.length}`,
      );
    }
    out.push({ line: this.recordLine, fields });
  }

  /** A delimiter or a line end at `s[i]` (code `c`), outside quotes; returns the next index. */
  private terminate(s: string, i: number, c: number, out: TableRecord[]): number {
    if (c === this.delimiterCode) {
      this.fields.push(this.field);
      this.field = '';
      this.state = State.FieldStart;
      return i + 1;
    }
    const blank = this.state === State.FieldStart && this.fields.length === 0;
    this.endRecord(out, blank);
    this.line += 1;
    this.recordLine = this.line;
    if (c === CR) {
      if (i + 1 < s.length) return s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
      this.afterCR = true;
    }
    return i + 1;
  }

  private consume(s: string, out: TableRecord[]): void {
    const delimiter = this.delimiterCode;
    const n = s.length;
    let i = 0;
    if (this.afterCR && n > 0) {
      this.afterCR = false;
      if (s.charCodeAt(0) === LF) i = 1;
    }
    while (i < n) {
      const state = this.state;
      if (state === State.FieldStart || state === State.Unquoted) {
        if (state === State.FieldStart && s.charCodeAt(i) === QUOTE) {
          this.state = State.Quoted;
          this.quoteLine = this.line;
          i += 1;
          continue;
        }
        // The fast path: an unquoted run up to the next delimiter or line end.
        let j = i;
        let c = 0;
        while (j < n) {
          c = s.charCodeAt(j);
          if (c === delimiter || c === LF || c === CR) break;
          j += 1;
        }
        if (j > i) {
          this.field = this.field === '' ? s.slice(i, j) : this.field + s.slice(i, j);
          this.state = State.Unquoted;
        }
        if (j === n) return;
        i = this.terminate(s, j, c, out);
      } else if (state === State.Quoted) {
        const q = s.indexOf('"', i);
        const stop = q < 0 ? n : q;
        for (let k = s.indexOf('\n', i); k >= 0 && k < stop; k = s.indexOf('\n', k + 1)) this.line += 1;
        this.field += s.slice(i, stop);
        if (q < 0) return;
        this.state = State.QuoteSeen;
        i = q + 1;
      } else if (state === State.QuoteSeen) {
        if (s.charCodeAt(i) === QUOTE) {
          this.field += '"';
          this.state = State.Quoted;
          i += 1;
        } else {
          this.state = State.Closed;
        }
      } else {
        const c = s.charCodeAt(i);
        if (c === delimiter || c === LF || c === CR) i = this.terminate(s, i, c, out);
        else if (c === SPACE || c === TAB) i += 1;
        else throw new DatasetError('PARSE_ERROR', `line ${this.line}, ${this.columnLabel()}: text after the closing quote of a quoted field`);
      }
    }
  }
}

/** Every record of a text held in memory (the header first); see DelimitedParser. */
export function parseDelimitedText(text: string, options?: DelimitedParserOptions): { delimiter: Delimiter; records: TableRecord[] } {
  const parser = new DelimitedParser(options);
  const records = [...parser.pushText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), ...parser.end()];
  return { delimiter: parser.delimiter ?? ',', records };
}
