import { sha256Hex } from '../hash/sha256-hex.js';

/**
 * Hash for datasets without a source file: sha256 of the canonical JSON `{"x":...,"y":...}`.
 * JSON.stringify prints numbers in one shortest round-trip form, so equal rows give equal hashes.
 */
export function rowsHash(x: number[][], y: number[][]): string {
  return sha256Hex(JSON.stringify({ x, y }));
}
