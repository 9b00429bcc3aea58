import { Rng } from '@trainyard/data/random';
import { canonicalJson } from '../definition/canonical-json.js';
import { DefinitionError, formatPath, type DefinitionIssue } from '../definition/definition-error.js';
import type { ExperimentDefinition } from '../definition/experiment-definition.schema.js';
import { safeParseDefinition } from '../definition/parse-definition.js';
import { issuesFromZod } from '../definition/zod-issues.js';
import { setField } from './set-field.js';
import { MAX_SWEEP_RUNS, sweepSchema, type Distribution, type SweepSpec } from './sweep.schema.js';

/** One run of a sweep: which values it sets and the full, checked definition. */
export interface Trial {
  /** Identity within the sweep (parameter values + repeat), stable across resubmissions. */
  key: string;
  params: Record<string, unknown>;
  definition: ExperimentDefinition & { seed: number };
}

export interface ExpandedSweep {
  spec: SweepSpec;
  /** The seed of repeat 0: the base definition's, or the one given when the base has none. */
  baseSeed: number;
  trials: Trial[];
}

/** A check of a valid trial definition beyond the schema (a server's limits); issues as for a definition. */
export type TrialCheck = (definition: ExperimentDefinition) => DefinitionIssue[];

/**
 * Parses a sweep and expands it into checked definitions: every grid combination, times
 * `random.trials` draws, times `repeats` seeds. Nothing is half-accepted: any trial that
 * does not make a valid definition (or fails `check`) rejects the whole sweep, with the
 * trial named. The number of runs is known from the spec alone and checked before any
 * combination is built.
 */
export function expandSweep(input: unknown, fallbackSeed: number, check?: TrialCheck): ExpandedSweep {
  const parsed = sweepSchema.safeParse(input);
  if (!parsed.success) throw new DefinitionError('INVALID_DEFINITION', issuesFromZod(parsed.error));
  const spec = parsed.data;
  const size = sweepSize(spec);
  if (size.runs > MAX_SWEEP_RUNS) {
    const path = Object.keys(spec.grid ?? {}).length > 0 ? 'grid' : spec.random !== undefined ? 'random.trials' : 'repeats';
    throw new DefinitionError('INVALID_DEFINITION', [
      { path, message: `makes ${size.exact ? '' : 'more than '}${size.runs} runs; at most ${MAX_SWEEP_RUNS} per submission` },
    ]);
  }
  const configurations = product(gridConfigurations(spec), randomConfigurations(spec));
  const baseSeed = typeof spec.base.seed === 'number' ? spec.base.seed : fallbackSeed;

  const trials: Trial[] = [];
  const issues = new Map<string, DefinitionIssue>();
  for (const params of configurations) {
    for (let repeat = 0; repeat < spec.repeats; repeat++) {
      let definition: Record<string, unknown> = { ...spec.base, seed: baseSeed };
      for (const [path, value] of Object.entries(params)) definition = setField(definition, path, value);
      const seed = (definition.seed as number) + repeat;
      definition = { ...definition, seed, name: trialName(spec.name, params, spec.repeats > 1 ? seed : undefined) };
      const result = safeParseDefinition(definition);
      const trialIssues = result.ok ? (check?.(result.definition) ?? []) : result.issues;
      if (!result.ok || trialIssues.length > 0) {
        for (const issue of trialIssues) {
          const where = Object.keys(params).length > 0 ? ` (trial ${describeParams(params)})` : '';
          const path = issue.path === 'name' ? 'name' : formatPath(['base', ...issue.path.split('.')]);
          issues.set(`${path}:${issue.message}`, { path: `${path}${where}`, message: issue.message });
        }
        continue;
      }
      trials.push({ key: canonicalJson({ params, repeat }), params, definition: { ...result.definition, seed } });
    }
  }
  if (issues.size > 0) throw new DefinitionError('INVALID_DEFINITION', [...issues.values()]);
  return { spec, baseSeed, trials };
}

/**
 * Above this the count of runs is not multiplied further: each factor is at most
 * MAX_SWEEP_RUNS, so every product computed stays an exact integer (below 2^53).
 */
const SIZE_CEILING = 1e12;

/**
 * How many runs a sweep makes, from the counts of its spec alone (nothing is built):
 * grid values multiplied, times random.trials, times repeats. `exact` is false when the
 * count went past SIZE_CEILING and multiplying stopped; `runs` is then a lower bound.
 */
export function sweepSize(spec: SweepSpec): { runs: number; exact: boolean } {
  const factors = [...Object.values(spec.grid ?? {}).map((values) => values.length), spec.random?.trials ?? 1, spec.repeats];
  let runs = 1;
  for (const factor of factors) {
    if (runs > SIZE_CEILING) return { runs, exact: false };
    runs *= factor;
  }
  return { runs, exact: true };
}

function gridConfigurations(spec: SweepSpec): Record<string, unknown>[] {
  let configurations: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(spec.grid ?? {})) {
    configurations = configurations.flatMap((config) => values.map((value) => ({ ...config, [path]: value })));
  }
  return configurations;
}

/** Draws from the sweep's own seed, so resubmitting the same sweep draws the same trials. */
function randomConfigurations(spec: SweepSpec): Record<string, unknown>[] {
  if (!spec.random) return [{}];
  const rng = new Rng(spec.random.seed);
  return Array.from({ length: spec.random.trials }, () =>
    Object.fromEntries(Object.entries(spec.random?.params ?? {}).map(([path, d]) => [path, draw(d, rng)])),
  );
}

function draw(distribution: Distribution, rng: Rng): unknown {
  if ('uniform' in distribution) {
    const [low, high] = distribution.uniform;
    return low + (high - low) * rng.next();
  }
  if ('logUniform' in distribution) {
    const [low, high] = distribution.logUniform;
    return Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * rng.next());
  }
  if ('int' in distribution) return rng.int(distribution.int[0], distribution.int[1]);
  return distribution.choice[rng.int(0, distribution.choice.length - 1)];
}

function product(a: Record<string, unknown>[], b: Record<string, unknown>[]): Record<string, unknown>[] {
  return a.flatMap((left) => b.map((right) => ({ ...left, ...right })));
}

function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([path, value]) => `${path}=${typeof value === 'number' ? Number(value.toPrecision(4)) : JSON.stringify(value)}`)
    .join(' ');
}

function trialName(sweep: string, params: Record<string, unknown>, seed: number | undefined): string {
  const parts = [describeParams(params), seed !== undefined ? `seed=${seed}` : ''].filter(Boolean);
  return parts.length > 0 ? `${sweep} ${parts.join(' ')}`.slice(0, 200) : sweep;
}
