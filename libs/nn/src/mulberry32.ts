/**
 * Small seeded uniform [0, 1) generator (Mulberry32). The run's streams come from libs/data's
 * generator; this one only expands a seed drawn from them into a layer's per-batch draws.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
