import type { Prisma } from './prisma-client.js';
import type { DbClient } from './prisma-client.js';
import { storeCall } from './store-error.js';
import type { SweepRow } from './store-types.js';

const SWEEP_COLUMNS = { id: true, name: true, spec: true, specHash: true, createdAt: true } as const;

export class SweepRepository {
  constructor(private readonly db: DbClient) {}

  findByName(name: string): Promise<SweepRow | null> {
    return storeCall('finding a sweep', () => this.db.sweep.findUnique({ where: { name }, select: SWEEP_COLUMNS }));
  }

  /** Throws StoreError CONFLICT when the name is taken (two submissions of a new sweep at once). */
  create(input: { name: string; spec: unknown; specHash: string }): Promise<SweepRow> {
    return storeCall(`creating sweep ${input.name}`, () =>
      this.db.sweep.create({
        data: { name: input.name, spec: input.spec as Prisma.InputJsonValue, specHash: input.specHash },
        select: SWEEP_COLUMNS,
      }),
    );
  }
}
