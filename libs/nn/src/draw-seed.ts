const MAX_SEED = 2 ** 31 - 1;

/**
 * An integer seed in [1, 2^31 - 1] for tfjs random ops. Never 0: tfjs' normal and gamma
 * generators test `seed ? seed : Math.random()`, so a 0 seed silently falls back to Math.random.
 */
export function drawSeed(random: () => number): number {
  return 1 + Math.floor(random() * (MAX_SEED - 1));
}
