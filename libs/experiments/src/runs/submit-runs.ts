import { randomInt } from 'node:crypto';
import type { SubmissionResponse, SubmittedRun } from '../api/api-contract.js';
import { specHash } from '../definition/spec-hash.js';
import { DefinitionError } from '../definition/definition-error.js';
import type { ExperimentDefinition } from '../definition/experiment-definition.schema.js';
import { parseDefinition } from '../definition/parse-definition.js';
import { withSeed } from '../pipeline/run-pipeline.js';
import { QueueError } from '../queue/queue-error.js';
import type { DbClient, PrismaClient } from '../store/prisma-client.js';
import { ExperimentRepository } from '../store/experiment.repository.js';
import { RunRepository } from '../store/run.repository.js';
import { SweepRepository } from '../store/sweep.repository.js';
import { expandSweep, type Trial } from './expand-sweep.js';
import { isSweepInput } from './sweep.schema.js';

/** Where submitted runs go: the BullMQ producer, one job per run whose id is the run id. */
export interface RunQueue {
  enqueue(runIds: string[]): Promise<void>;
}

export interface SubmissionDeps {
  prisma: PrismaClient;
  queue: RunQueue;
}

interface PlannedRun {
  name: string;
  definition: ExperimentDefinition & { seed: number };
  trial?: Trial;
}

/**
 * Accepts one definition or a sweep: checks everything first (nothing is written for an
 * invalid submission), writes experiment and run rows in one transaction, then queues one
 * job per run. A sweep resubmitted under the same name and spec queues only the trials
 * that have no queued, running or succeeded run, so interrupted sweeps resume.
 */
export async function submitRuns(input: unknown, deps: SubmissionDeps): Promise<SubmissionResponse> {
  if (!isSweepInput(input)) {
    const definition = withSeed(parseDefinition(input));
    const runs = await deps.prisma.$transaction((tx) => createRuns(tx, undefined, [{ name: definition.name, definition }]));
    return { runs: await enqueue(deps, runs) };
  }

  const sweeps = new SweepRepository(deps.prisma);
  const hash = specHash(input);
  const name = typeof (input as { name?: unknown }).name === 'string' ? (input as { name: string }).name.trim() : '';
  const existing = name ? await sweeps.findByName(name) : null;
  if (existing && existing.specHash !== hash) {
    throw new DefinitionError('INVALID_DEFINITION', [
      { path: 'name', message: `a sweep named "${name}" already exists with a different spec; choose another name` },
    ]);
  }
  const storedSeed = (existing?.spec as { baseSeed?: unknown } | undefined)?.baseSeed;
  const expanded = expandSweep(input, typeof storedSeed === 'number' ? storedSeed : randomInt(0, 2 ** 31));
  const done = existing ? await new RunRepository(deps.prisma).activeOrSucceededTrialKeys(existing.id) : new Set<string>();
  const pending = expanded.trials.filter((trial) => !done.has(trial.key));

  const { sweepId, runs } = await deps.prisma.$transaction(async (tx) => {
    const sweep =
      existing ??
      (await new SweepRepository(tx).create({ name: expanded.spec.name, spec: { ...expanded.spec, baseSeed: expanded.baseSeed }, specHash: hash }));
    const created = await createRuns(tx, sweep.id, pending.map((trial) => ({ name: trial.definition.name, definition: trial.definition, trial })));
    return { sweepId: sweep.id, runs: created };
  });
  return {
    sweep: { id: sweepId, name: expanded.spec.name, created: !existing, skipped: expanded.trials.length - pending.length },
    runs: await enqueue(deps, runs),
  };
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
