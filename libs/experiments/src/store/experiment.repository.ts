import { Prisma, type DbClient } from './prisma-client.js';
import { storeCall } from './store-error.js';
import type { ExperimentRow } from './store-types.js';

export interface NewExperiment {
  name: string;
  /** The validated definition (defaults filled, seed set). */
  definition: unknown;
  specHash: string;
  dataset: string;
  sweepId?: string;
  /** Within a sweep: the trial's identity (parameters + repeat), so a resubmission finds it. */
  trialKey?: string;
  params?: Record<string, unknown>;
  /** The registered dataset version the definition pins. */
  datasetVersionId?: string;
}

export class ExperimentRepository {
  constructor(private readonly db: DbClient) {}

  create(input: NewExperiment): Promise<ExperimentRow> {
    return storeCall(`creating experiment ${input.name}`, () =>
      this.db.experiment.create({
        data: {
          name: input.name,
          definition: input.definition as Prisma.InputJsonValue,
          specHash: input.specHash,
          dataset: input.dataset,
          sweepId: input.sweepId ?? null,
          trialKey: input.trialKey ?? null,
          params: input.params === undefined ? Prisma.DbNull : (input.params as Prisma.InputJsonValue),
          datasetVersionId: input.datasetVersionId ?? null,
        },
        select: { id: true, name: true, specHash: true, dataset: true, sweepId: true, trialKey: true, createdAt: true },
      }),
    );
  }
}
