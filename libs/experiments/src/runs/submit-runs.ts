import { randomInt } from 'node:crypto';
import { checkSubmission, DefinitionError, expandSweep, type ExperimentDefinition, isSweepInput, parseDefinition, type ServerLimits, type SubmissionResponse, type SubmittedRun, type Trial } from '@trainyard/contract';
import { DatasetResolver } from '../datasets/dataset-resolver.js';
import { specHash } from '../definition/spec-hash.js';
import { withSeed } from '../pipeline/run-pipeline.js';
import { QueueError } from '../queue/queue-error.js';
import type { DbClient, Prisma, PrismaClient } from '../store/prisma-client.js';
import { ExperimentRepository } from '../store/experiment.repository.js';
import { RunRepository } from '../store/run.repository.js';
import { SweepRepository } from '../store/sweep.repository.js';

/** Where submitted runs go: the BullMQ producer, one job per run whose id is the run id. */
export interface RunQueue {
  enqueue(runIds: string[]): Promise<void>;
}

export interface SubmissionDeps {
  prisma: PrismaClient;
  queue: RunQueue;
  /** What this server accepts of one run (checkSubmission): every definition is checked before anything is written. */
  limits: ServerLimits;
}

interface PlannedRun {
  name: string;
  definition: ExperimentDefinition & { seed: number };
  trial?: Trial;
  /** The registered dataset version the definition pins (its version and sha256 are in the definition). */
  datasetVersionId?: string;
}

/**
 * A seed drawn for a sweep whose base has none. Repeats add up to 99 to it, and a
 * definition's seed is at most 2^31 - 1, so it is drawn below 2^31 - 99.
 */
const MAX_FALLBACK_SEED = 2 ** 31 - 99;

/**
 * Interactive transactions end after 5 s by default; a resubmission waits here for the one
 * before it (same sweep name) to write its up to MAX_SWEEP_RUNS experiments and runs.
 */
const SUBMISSION_TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/**
 * Accepts one definition or a sweep: checks everything first, against the schema and this
 * server's limits (nothing is written or queued for an invalid submission), writes experiment
 * and run rows in one transaction, then queues one job per run. A sweep resubmitted under
 * the same name and spec queues only the trials that have no queued, running or succeeded
 * run, so interrupted sweeps resume; submissions of one sweep name are serialized, so
 * concurrent resubmissions queue each missing trial once. A registered dataset (`housing`,
 * `housing@2`) is resolved to one stored version, the definition is checked against that
 * table's columns, and the version and its sha256 are pinned in the stored definition (and
 * the experiment's datasetVersionId), so that a rerun trains on the same bytes.
 */
export async function submitRuns(input: unknown, deps: SubmissionDeps): Promise<SubmissionResponse> {
  if (!isSweepInput(input)) {
    const parsed = withSeed(parseDefinition(input));
    assertSubmittable(parsed, deps.limits);
    const datasets = await DatasetResolver.load(deps.prisma, [parsed]);
    const issues = datasets.issues(parsed);
    if (issues.length > 0) throw new DefinitionError('INVALID_DEFINITION', issues);
    const { definition, datasetVersionId } = datasets.pin(parsed);
    const runs = await deps.prisma.$transaction((tx) => createRuns(tx, undefined, [{ name: definition.name, definition, ...(datasetVersionId ? { datasetVersionId } : {}) }]));
    return { runs: await enqueue(deps, runs) };
  }

  const checkWith = (datasets?: DatasetResolver) => (definition: ExperimentDefinition) => [
    ...checkSubmission(definition, deps.limits),
    ...(datasets?.issues(definition) ?? []),
  ];
  // Expanded and checked before the transaction, so an invalid sweep neither waits for the
  // lock nor writes anything. The seed only matters when the base has none (see below).
  const fallbackSeed = randomInt(0, MAX_FALLBACK_SEED);
  let expanded = expandSweep(input, fallbackSeed, checkWith());
  // The trials' registered datasets are read once, then every trial is checked against its table.
  const resolved = await DatasetResolver.load(deps.prisma, expanded.trials.map((trial) => trial.definition));
  const check = checkWith(resolved);
  if (!resolved.empty) expanded = expandSweep(input, fallbackSeed, check);
  // Hashed once valid: the raw input of an invalid one may be anything (deeply nested, say).
  const hash = specHash(input);
  const name = expanded.spec.name;

  const { sweepId, created, pending, runs } = await deps.prisma.$transaction(async (tx) => {
    await lockSweepName(tx, name);
    // Read under the lock: a concurrent submission of this name has committed or not begun.
    const existing = await new SweepRepository(tx).findByName(name);
    if (existing && existing.specHash !== hash) {
      throw new DefinitionError('INVALID_DEFINITION', [
        { path: 'name', message: `a sweep named "${name}" already exists with a different spec; choose another name` },
      ]);
    }
    // A resubmission draws no new seed: trials keep the seeds (and so the keys' runs) they had.
    const storedSeed = (existing?.spec as { baseSeed?: unknown } | undefined)?.baseSeed;
    if (typeof storedSeed === 'number' && storedSeed !== expanded.baseSeed) expanded = expandSweep(input, storedSeed, check);
    const done = existing ? await new RunRepository(tx).activeOrSucceededTrialKeys(existing.id) : new Set<string>();
    const todo = expanded.trials.filter((trial) => !done.has(trial.key));
    const sweep =
      existing ?? (await new SweepRepository(tx).create({ name, spec: { ...expanded.spec, baseSeed: expanded.baseSeed }, specHash: hash }));
    const rows = await createRuns(
      tx,
      sweep.id,
      todo.map((trial) => {
        const { definition, datasetVersionId } = resolved.pin(trial.definition);
        return { name: definition.name, definition, trial, ...(datasetVersionId ? { datasetVersionId } : {}) };
      }),
    );
    return { sweepId: sweep.id, created: !existing, pending: todo.length, runs: rows };
  }, SUBMISSION_TRANSACTION);
  return {
    sweep: { id: sweepId, name, created, skipped: expanded.trials.length - pending },
    runs: await enqueue(deps, runs),
  };
}

/** Throws DefinitionError when this server does not accept the definition (a file path, limits). */
export function assertSubmittable(definition: ExperimentDefinition, limits: ServerLimits): void {
  const issues = checkSubmission(definition, limits);
  if (issues.length > 0) throw new DefinitionError('INVALID_DEFINITION', issues);
}

/**
 * Holds a PostgreSQL advisory lock on the sweep name until the transaction ends. Keyed on
 * the schema too, so that test schemas (or several trainyard stores in one database) do not
 * wait for each other. On PGlite (one connection, transactions run one at a time) it is
 * granted at once.
 */
async function lockSweepName(tx: Prisma.TransactionClient, name: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('trainyard.sweep:' || current_schema() || ':' || ${name}, 0))`;
}

/** Experiment and run rows for the planned runs; called inside the submission's transaction. */
async function createRuns(client: DbClient, sweepId: string | undefined, planned: PlannedRun[]): Promise<SubmittedRun[]> {
  const experiments = new ExperimentRepository(client);
  const runs = new RunRepository(client);
  const created: SubmittedRun[] = [];
  for (const plan of planned) {
    const experiment = await experiments.create({
      name: plan.name,
      definition: plan.definition,
      specHash: specHash(plan.definition),
      dataset: plan.definition.dataset.name,
      ...(sweepId ? { sweepId } : {}),
      ...(plan.datasetVersionId ? { datasetVersionId: plan.datasetVersionId } : {}),
      ...(plan.trial ? { trialKey: plan.trial.key, params: plan.trial.params } : {}),
    });
    const run = await runs.createQueued({ experimentId: experiment.id, seed: plan.definition.seed, epochs: plan.definition.epochs });
    created.push({ id: run.id, name: plan.name, status: 'QUEUED', seed: plan.definition.seed });
  }
  return created;
}

/** Queues the runs; if the queue refuses, the runs are marked FAILED with the reason and a QueueError('ENQUEUE_FAILED') is thrown. */
export async function enqueue(deps: SubmissionDeps, runs: SubmittedRun[]): Promise<SubmittedRun[]> {
  if (runs.length === 0) return runs;
  try {
    await deps.queue.enqueue(runs.map((r) => r.id));
    return runs;
  } catch (error) {
    const reason = `could not queue the run: ${error instanceof Error ? error.message : String(error)}`;
    await new RunRepository(deps.prisma).markFailed(
      runs.map((r) => r.id),
      'internal',
      'ENQUEUE_FAILED',
      reason,
    );
    throw new QueueError('ENQUEUE_FAILED', reason, { cause: error });
  }
}
