import { z } from 'zod';

// NUL, a high surrogate not followed by a low one, a low one not preceded by a high one.
// (String.prototype.isWellFormed is ES2024, newer than the libs this repo compiles against.)
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text that the record can keep and every reader can read: no NUL (PostgreSQL's text type
 * refuses it) and no unpaired UTF-16 surrogate (not Unicode: UTF-8 has no bytes for it).
 */
export function isSafeText(value: string): boolean {
  return !UNSAFE.test(value);
}

export const SAFE_TEXT_MESSAGE = 'must be text without NUL characters or unpaired surrogates';

/** A string schema that refuses what isSafeText refuses. */
export function safeText(): z.ZodString {
  return z.string().refine(isSafeText, SAFE_TEXT_MESSAGE);
}
