import type { z } from 'zod';
import { formatPath, type DefinitionIssue } from './definition-error.js';

/** Turns zod's issues into "field path: what is allowed" lines a user can act on. */
export function issuesFromZod(error: z.ZodError): DefinitionIssue[] {
  return error.issues.flatMap((issue): DefinitionIssue[] => {
    const path = formatPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: withSuggestion('unknown field', KERAS_FIELDS[key] ?? camelCase(key)) }));
      case 'invalid_union': {
        if ('options' in issue && Array.isArray(issue.options)) {
          // A discriminated union reports the whole object as its input: the word is its discriminator's value.
          const given = 'discriminator' in issue && typeof issue.discriminator === 'string' && isObject(issue.input) ? issue.input[issue.discriminator] : issue.input;
          return [{ path, message: withSuggestion(`must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`, sameWord(given, issue.options)) }];
        }
        const branch = closestBranch(issue);
        if (branch) return issuesFromZod({ issues: branch.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })) } as z.ZodError);
        return [{ path, message: describeUnion(issue) }];
      }
      case 'invalid_value':
        return [{ path, message: withSuggestion(`must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, sameWord(issue.input, issue.values)) }];
      case 'invalid_type':
        return [{ path, message: describeType(issue.expected, issue.input) }];
      case 'too_small':
        return [{ path, message: describeBound('at least', issue.origin, issue.minimum, issue.inclusive ?? true) }];
      case 'too_big':
        return [{ path, message: describeBound('at most', issue.origin, issue.maximum, issue.inclusive ?? true) }];
      case 'invalid_key':
        // A record key (a sweep's field path) that fails its own check: report that check.
        return [{ path, message: issue.issues[0]?.message ?? issue.message }];
      case 'not_multiple_of':
        return [{ path, message: `must be a multiple of ${String(issue.divisor)}` }];
      default:
        return [{ path, message: issue.message }];
    }
  });
}

/**
 * Keras' (and scikit-learn's) spellings of definition fields, for "did you mean". Other
 * snake_case fields are tried in camelCase (`batch_size` -> batchSize).
 */
const KERAS_FIELDS: Record<string, string> = {
  lr: 'learningRate',
  learning_rate: 'learningRate',
  validation_split: 'split.validation',
  test_size: 'split.test',
  kernel_initializer: 'kernelInitializer',
  use_bias: 'useBias',
  early_stopping: 'earlyStopping',
  kernel_size: 'kernelSize',
  pool_size: 'poolSize',
  target_shape: 'targetShape',
  height_factor: 'heightFactor',
  width_factor: 'widthFactor',
};

/**
 * Keras' other spellings of allowed values (squashed: lowercase, no `_`, `-` or spaces), for
 * "did you mean" where a case-insensitive match is not enough: `MaxPool2D` -> maxPooling2d.
 * Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Reshape and RandomFlip
 * already match their layer type once squashed.
 */
const KERAS_VALUES: Record<string, string> = {
  maxpool2d: 'maxPooling2d',
  avgpool2d: 'averagePooling2d',
  globalavgpool2d: 'globalAveragePooling2d',
  convolution2d: 'conv2d',
  batchnorm: 'batchNormalization',
};

/** `batch_size` -> `batchSize`; undefined when there is no underscore to remove. */
function camelCase(key: string): string | undefined {
  if (!key.includes('_')) return undefined;
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The allowed value a user's text means, spelled otherwise: `Dense`, `ReLU`, `Adam`, `mean-squared-error`. */
function sameWord(input: unknown, options: readonly unknown[]): string | undefined {
  if (typeof input !== 'string') return undefined;
  const squash = (text: string): string => text.toLowerCase().replace(/[\s_-]/g, '');
  const match = options.find((option) => typeof option === 'string' && option !== input && squash(option) === squash(input));
  if (typeof match === 'string') return match;
  const alias = KERAS_VALUES[squash(input)];
  return alias !== undefined && options.includes(alias) ? alias : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withSuggestion(message: string, suggestion: string | undefined): string {
  return suggestion ? `${message} (did you mean ${JSON.stringify(suggestion)}?)` : message;
}

function describeType(expected: string, input: unknown): string {
  if (input === undefined) return `is required (${expected})`;
  const received = input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input;
  const wanted = expected === 'int' ? 'a whole number' : expected;
  return `must be ${wanted}, got ${received}`;
}

function describeBound(word: string, origin: string, bound: number | bigint, inclusive: boolean): string {
  const value = String(bound);
  switch (origin) {
    case 'array':
    case 'set':
      return `must have ${word} ${value} item${value === '1' ? '' : 's'}`;
    case 'string':
      return `must be ${word} ${value} character${value === '1' ? '' : 's'} long`;
    default:
      if (word === 'at least') return `must be ${inclusive ? '>=' : '>'} ${value}`;
      return `must be ${inclusive ? '<=' : '<'} ${value}`;
  }
}

/** A plain union (e.g. a string or a list of strings): name the alternatives. */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion): string {
  const firsts = issue.errors
    .map((alternative) => alternative[0])
    .filter((first): first is z.core.$ZodIssue => first !== undefined && first.code === 'invalid_type');
  // A tuple ([height, width]) is an array to a user writing JSON.
  const expected = [...new Set(firsts.map((first) => (first.code === 'invalid_type' ? (first.expected === 'tuple' ? 'array' : first.expected) : '')))];
  if (expected.length === 0) return issue.message;
  const missing = firsts.every((first) => first.message.endsWith('received undefined'));
  return missing ? `is required (${expected.join(' or ')})` : `must be ${expected.join(' or ')}`;
}

/** The field that picks a union's branch (the dataset's `name`): a branch failing there is a branch the user did not mean. */
const BRANCH_KEY = 'name';

function isPlainAlternative(branch: z.core.$ZodIssue[]): boolean {
  return branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
}

/**
 * A union of object shapes (the dataset: built in or registered): report the issues of the
 * branch the user most likely meant — one whose issues are not about `name`, else one whose
 * `name` issue says more than "no such discriminator" — fewest issues first, the later branch
 * on a tie. Undefined for a plain union (a string or a list), which describeUnion names.
 */
function closestBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  const branches = issue.errors.filter((branch) => branch.length > 0);
  if (branches.length === 0 || branches.every(isPlainAlternative)) return undefined;
  const rank = (branch: z.core.$ZodIssue[]): number[] => [
    branch.some((i) => i.path[0] === BRANCH_KEY) ? 1 : 0,
    branch.length === 1 && branch[0]?.code === 'invalid_union' && 'discriminator' in branch[0] ? 1 : 0,
    branch.length,
  ];
  let best = branches[0] ?? [];
  for (const branch of branches.slice(1)) {
    const [a, b] = [rank(branch), rank(best)];
    const index = a.findIndex((value, i) => value !== b[i]);
    if (index === -1 || (a[index] ?? 0) < (b[index] ?? 0)) best = branch;
  }
  return best;
}
