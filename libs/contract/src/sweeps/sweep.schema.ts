import { z } from 'zod';
import { definitionPathProblem, FIELD_PATH_SYNTAX, FIELD_PATH_SYNTAX_MESSAGE } from '../definition/definition-paths.js';
import { LIMITS } from '../definition/experiment-definition.schema.js';
import { safeText } from '../definition/safe-text.js';

/** At most this many runs from one submission, so that a typo cannot fill the queue for a week. */
export const MAX_SWEEP_RUNS = 1_000;

/**
 * A field path into the definition that the definition schema has: `optimizer.learningRate`,
 * `model.layers[0].units`. Anything else (`__proto__.x`, a typo) is refused here, before a
 * value is set anywhere.
 */
const fieldPath = z
  .string()
  .regex(FIELD_PATH_SYNTAX, { message: FIELD_PATH_SYNTAX_MESSAGE, abort: true })
  .superRefine((path, ctx) => {
    const problem = definitionPathProblem(path);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * A record keyed by field paths. zod leaves a `__proto__` key (an own key, as JSON.parse
 * makes it) out of a record without a word, which would quietly shrink a sweep; it is
 * refused instead, like every other key that is not a field.
 */
function fieldRecord<T extends z.ZodType>(value: T) {
  return z.preprocess((input, ctx) => {
    if (typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__')) {
      ctx.addIssue({ code: 'custom', message: definitionPathProblem('__proto__') ?? '', path: ['__proto__'], input });
    }
    return input;
  }, z.record(fieldPath, value));
}

const distribution = z.union([
  z.strictObject({ uniform: z.tuple([z.number(), z.number()]) }),
  z.strictObject({ logUniform: z.tuple([z.number().positive(), z.number().positive()]) }),
  z.strictObject({ int: z.tuple([z.number().int(), z.number().int()]) }),
  z.strictObject({ choice: z.array(z.unknown()).min(1) }),
]);
export type Distribution = z.infer<typeof distribution>;

/**
 * A sweep: a base definition and how to vary it. `grid` takes every combination,
 * `random` draws `trials` configurations with its own seed, `repeats` runs each
 * configuration with k seeds (base seed, base seed + 1, ...).
 */
export const sweepSchema = z
  .strictObject({
    name: safeText().trim().min(1).max(LIMITS.nameLength),
    description: safeText().max(5_000).optional(),
    /** The definition every trial starts from (checked per trial once the values are set). */
    base: z.record(z.string(), z.unknown()),
    grid: fieldRecord(z.array(z.unknown()).min(1).max(MAX_SWEEP_RUNS)).optional(),
    random: z
      .strictObject({
        params: fieldRecord(distribution),
        trials: z.number().int().min(1).max(MAX_SWEEP_RUNS),
        seed: z.number().int().min(0).max(2_147_483_647).default(0),
      })
      .optional(),
    repeats: z.number().int().min(1).max(100).default(1),
  })
  .refine((sweep) => sweep.grid !== undefined || sweep.random !== undefined || sweep.repeats > 1, {
    message: 'a sweep needs grid, random or repeats > 1',
    path: ['grid'],
  });

export type SweepSpec = z.output<typeof sweepSchema>;

/** A submission is a sweep when it has a `base` definition; otherwise it is one definition. */
export function isSweepInput(input: unknown): boolean {
  return typeof input === 'object' && input !== null && 'base' in input;
}
