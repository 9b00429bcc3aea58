import { z } from 'zod';
// The API's page sizes: the store enforces the same bounds as the HTTP contract.
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@trainyard/contract';
import { StoreError } from './store-error.js';

export function pageSize(limit: number | undefined): number {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw new StoreError('INVALID', `limit: must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  return size;
}

/*
 * Keyset cursors handed to clients: the last row's sort key and id, as base64url JSON. A
 * cursor comes back from outside, so it is parsed like any input: anything that is not one
 * this server could have issued is StoreError INVALID (a 400), never an SQL error.
 */

export function encodeCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(text: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new StoreError('INVALID', 'cursor: not a cursor this server issued');
  return parsed.data;
}
