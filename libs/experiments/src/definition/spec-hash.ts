import { sha256Hex } from '@trainyard/data';
import { canonicalJson } from '@trainyard/contract';

/** sha256 of the canonical JSON: the identity of a definition. Node only (node:crypto), so apart from canonical-json.ts. */
export function specHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
