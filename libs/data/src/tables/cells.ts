import { MISSING_CELLS } from './table-types.js';

/*
 * How one cell of a table reads. Cells are trimmed first; a trimmed cell in MISSING_CELLS is
 * missing. Numbers are decimal text only (no hex, no thousands separators, no Infinity), so a
 * column of zip codes like "02134" is a number column unless the definition says otherwise.
 */

const MISSING = new Set(MISSING_CELLS);
const LONGEST_MISSING = Math.max(...MISSING_CELLS.map((cell) => cell.length));

function trimmed(text: string): string {
  const n = text.length;
  return n > 0 && text.charCodeAt(0) > 32 && text.charCodeAt(n - 1) > 32 ? text : text.trim();
}

export function isMissingText(text: string): boolean {
  if (text.length === 0) return true;
  const cell = trimmed(text);
  return cell.length <= LONGEST_MISSING && MISSING.has(cell);
}

const ZERO = 48;
const NINE = 57;
const POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);


/**
 * The value of a decimal text ([+-] digits [. digits] [e [+-] digits], a digit before the
 * exponent), or undefined. Up to 15 significant digits and a power of ten up to 22 it is
 * computed exactly here (an exact integer times or over an exact power of ten rounds once,
 * as Number() would); longer texts go through Number().
 */
function decimalValue(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45;
  if (c === 43 || c === 45) i += 1; // + -
  let digits = 0;
  let mantissa = 0;
  let scale = 0;
  while (i < n && (c = text.charCodeAt(i)) >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    i += 1;
    digits += 1;
  }
  if (i < n && text.charCodeAt(i) === 46) {
    i += 1; // .
    while (i < n && (c = text.charCodeAt(i)) >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      i += 1;
      digits += 1;
      scale -= 1;
    }
  }
  if (digits === 0) return undefined;
  let exact = true;
  if (i < n && ((c = text.charCodeAt(i)) === 101 || c === 69)) {
    i += 1; // e E
    let sign = 1;
    if (i < n && ((c = text.charCodeAt(i)) === 43 || c === 45)) {
      sign = c === 45 ? -1 : 1;
      i += 1;
    }
    let exponent = 0;
    const start = i;
    while (i < n && (c = text.charCodeAt(i)) >= ZERO && c <= NINE) {
      exponent = exponent * 10 + (c - ZERO);
      i += 1;
    }
    if (i === start) return undefined;
    scale += sign * exponent;
    exact = false;
  }
  if (i !== n) return undefined;
  if (digits > 15 || !exact || scale < -22) {
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  const value = scale === 0 ? mantissa : mantissa / (POWERS[-scale] ?? 1);
  return negative ? -value : value;
}

/** The number a cell's text spells (decimal text only), or undefined. */
export function parseNumberText(text: string): number | undefined {
  return decimalValue(trimmed(text));
}

/** 'true' / 'false' for true/false/yes/no (any case), else undefined. */
export function parseBooleanText(text: string): 'true' | 'false' | undefined {
  switch (text.trim().toLowerCase()) {
    case 'true':
    case 'yes':
      return 'true';
    case 'false':
    case 'no':
      return 'false';
    default:
      return undefined;
  }
}
