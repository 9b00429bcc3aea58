import { fnv1a32 } from '../hash/fnv1a32.js';

const GOLDEN_GAMMA = 0x9e3779b9;

/** SplitMix32 step: only used to spread a 32-bit seed over xoshiro's 128-bit state. */
function splitMix32(state: number): { state: number; value: number } {
  const next = (state + GOLDEN_GAMMA) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return { state: next, value: (z ^ (z >>> 15)) >>> 0 };
}

function splitMix32Words(seed: number): [number, number, number, number] {
  let state = seed;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const step = splitMix32(state);
    state = step.state;
    words.push(step.value);
  }
  return words as [number, number, number, number];
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const TWO_POW_32 = 0x1_0000_0000;

/**
 * Seeded random numbers: xoshiro128** (Blackman & Vigna) with its 128-bit state
 * filled by SplitMix32 from a 32-bit seed. Deterministic across platforms because
 * it uses only 32-bit integer arithmetic (Math.imul, shifts), never Math.random.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** Any integer; it is reduced to uint32 with `>>> 0`, so `-1` and `4294967295` are the same seed. */
  constructor(seed: number) {
    const words = splitMix32Words(seed >>> 0);
    this.setState(words[0], words[1], words[2], words[3]);
  }

  /**
   * An independent stream for one purpose ('split', 'init', 'shuffle', 'data', ...), so that
   * e.g. drawing more initial weights never changes the split. The stream name is hashed with
   * FNV-1a and its SplitMix32 expansion is XORed into the seed's state, which starts the
   * streams at unrelated points of xoshiro's 2^128 period instead of offsets of one sequence.
   */
  static derive(seed: number, stream: string): Rng {
    const rng = new Rng(seed);
    const mix = splitMix32Words(fnv1a32(stream));
    rng.setState(rng.s0 ^ mix[0], rng.s1 ^ mix[1], rng.s2 ^ mix[2], rng.s3 ^ mix[3]);
    return rng;
  }

  /** A generator at an exact xoshiro128** state, for checking against the reference implementation. */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const rng = new Rng(0);
    rng.setState(...state);
    return rng;
  }

  private setState(s0: number, s1: number, s2: number, s3: number): void {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    // xoshiro is stuck at zero for an all-zero state; practically unreachable, but cheap to rule out.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = GOLDEN_GAMMA;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53-bit resolution (two 32-bit draws, like a full double mantissa). */
  next(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }

  /** Uniform integer in [minInclusive, maxInclusive], unbiased (rejection sampling); range at most 2^32. */
  int(minInclusive: number, maxInclusive: number): number {
    if (!Number.isSafeInteger(minInclusive) || !Number.isSafeInteger(maxInclusive) || maxInclusive < minInclusive) {
      throw new RangeError(`Rng.int needs integers min <= max, got ${minInclusive}..${maxInclusive}`);
    }
    const range = maxInclusive - minInclusive + 1;
    if (range > TWO_POW_32) throw new RangeError(`Rng.int range ${range} exceeds 2^32`);
    // Largest multiple of `range` below 2^32: draws at or above it would favour small values.
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let draw = this.nextUint32();
    while (draw >= limit) draw = this.nextUint32();
    return minInclusive + (draw % range);
  }

  /** In-place Fisher-Yates (Durstenfeld); returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A random ordering of 0..n-1. */
  permutation(n: number): number[] {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Rng.permutation needs an integer n >= 0, got ${n}`);
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}
