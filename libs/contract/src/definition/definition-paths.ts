import type { z } from 'zod';
import { formatPath } from './definition-error.js';
import { experimentDefinitionSchema } from './experiment-definition.schema.js';

/*
 * Field paths into a definition (a sweep's grid and random keys): which ones the schema
 * has. A path is walked through the zod schema, never through a value, so a key such as
 * `__proto__` cannot reach Object.prototype however the schema is written.
 */

export type FieldKey = string | number;

/** `optimizer.learningRate`, `model.layers[0].units`: names, dots and [index]. */
export const FIELD_PATH_SYNTAX = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[\d+\])*$/;

export const FIELD_PATH_SYNTAX_MESSAGE = 'must be a field path such as optimizer.learningRate or model.layers[0].units';

/** Keys that lead to Object.prototype or a constructor: never a field, never walked or set. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenFieldKey(key: FieldKey): boolean {
  return typeof key === 'string' && FORBIDDEN_KEYS.has(key);
}

/**
 * An index into a list whose schema sets no maximum length (a `predict` row). A path is
 * applied by creating the list up to its index, so an unbounded index would make a list
 * with billions of holes for the schema to walk.
 */
const MAX_UNBOUNDED_INDEX = 1_000;

/** `model.layers[0].units` -> ['model', 'layers', 0, 'units']; undefined when it is not a field path. */
export function parseFieldPath(path: string): FieldKey[] | undefined {
  if (!FIELD_PATH_SYNTAX.test(path)) return undefined;
  const keys: FieldKey[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) keys.push(Number(match[2]));
    else if (match[1] !== undefined) keys.push(match[1]);
  }
  return keys;
}

const EXAMPLES = 'optimizer.learningRate, model.layers[0].units, batchSize, seed, dataset.n, split.test, earlyStopping.patience';

/**
 * Why `path` is not a field of an experiment definition, or undefined when it is one.
 * A key is accepted when the schema has it: object fields, list items (below the list's
 * maximum length), and for a union (a dataset, a layer, an optimizer) a key any option has.
 */
export function definitionPathProblem(path: string, schema: z.core.$ZodType = experimentDefinitionSchema): string | undefined {
  const keys = parseFieldPath(path);
  if (!keys) return FIELD_PATH_SYNTAX_MESSAGE;
  const problem = walk(schema, keys, 0);
  return problem === undefined ? undefined : `is not a field of a definition: ${problem} (fields look like ${EXAMPLES})`;
}

/** Undefined when keys[at...] is a path in schema; otherwise what is wrong, naming the part that is. */
function walk(schema: z.core.$ZodType, keys: readonly FieldKey[], at: number): string | undefined {
  if (at === keys.length) return undefined;
  const key = keys[at] as FieldKey;
  if (isForbiddenFieldKey(key)) return `"${String(key)}" is never a field`;
  const here = at === 0 ? 'a definition' : formatPath(keys.slice(0, at));
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
      return walk((def as z.core.$ZodOptionalDef).innerType, keys, at);
    case 'pipe': {
      // z.preprocess(fn, schema) is a pipe from a transform: the fields are the target schema's.
      const pipe = def as z.core.$ZodPipeDef;
      return walk(pipe.in._zod.def.type === 'transform' ? pipe.out : pipe.in, keys, at);
    }
    case 'lazy':
      return walk((def as z.core.$ZodLazyDef).getter(), keys, at);
    case 'object': {
      const { shape } = def as z.core.$ZodObjectDef;
      if (typeof key !== 'string') return `${here} is an object, not a list`;
      const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (!field) return `${here} has no field "${key}"`;
      return walk(field, keys, at + 1);
    }
    case 'record': {
      if (typeof key !== 'string') return `${here} is an object, not a list`;
      return walk((def as z.core.$ZodRecordDef).valueType, keys, at + 1);
    }
    case 'union': {
      const problems = (def as z.core.$ZodUnionDef).options.map((option) => walk(option, keys, at));
      return problems.includes(undefined) ? undefined : problems[0];
    }
    case 'intersection': {
      const { left, right } = def as z.core.$ZodIntersectionDef;
      const problem = walk(left, keys, at);
      return problem === undefined ? undefined : walk(right, keys, at) === undefined ? undefined : problem;
    }
    case 'array': {
      const array = def as z.core.$ZodArrayDef;
      if (typeof key !== 'number') return `${here} is a list: name an item, such as ${here}[0]`;
      const size = maxLength(array) ?? MAX_UNBOUNDED_INDEX;
      if (key >= size) return `${here} has at most ${size} items, so its last index is ${size - 1}`;
      return walk(array.element, keys, at + 1);
    }
    case 'tuple': {
      const tuple = def as z.core.$ZodTupleDef;
      if (typeof key !== 'number') return `${here} is a list: name an item, such as ${here}[0]`;
      const item = key < tuple.items.length ? tuple.items[key] : undefined;
      if (!item) return `${here} has ${tuple.items.length} items`;
      return walk(item, keys, at + 1);
    }
    default:
      return `${here} is a single value (${def.type}), it has no fields`;
  }
}

function maxLength(def: z.core.$ZodArrayDef): number | undefined {
  let max: number | undefined;
  for (const check of def.checks ?? []) {
    const checkDef = check._zod.def as z.core.$ZodCheckDef & { maximum?: unknown };
    if (checkDef.check === 'max_length' && typeof checkDef.maximum === 'number') max = Math.min(max ?? Infinity, checkDef.maximum);
  }
  return max;
}
