import type { Prisma } from './prisma-client.js';
import type { DbClient } from './prisma-client.js';
import { pageSize } from './paging.js';
import { storeCall } from './store-error.js';
import type { SweepRow } from './store-types.js';
import {
  decodeSweepCursor,
  encodeSweepCursor,
  sweepListSql,
  sweepTrialsSql,
  toSweepListItem,
  toSweepWithTrials,
  type SweepListItem,
  type SweepListSqlRow,
  type SweepTrialSqlRow,
  type SweepWithTrials,
} from './sweep-query.js';

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

  /** The sweep and, for each of its trials, the parameter values and the latest run; one query. Null: no such sweep. */
  async summary(sweepId: string): Promise<SweepWithTrials | null> {
    const rows = await storeCall('reading a sweep', () => this.db.$queryRaw<SweepTrialSqlRow[]>(sweepTrialsSql(sweepId)));
    return toSweepWithTrials(rows);
  }

  /**
   * A page of sweeps (50 unless `limit` says, at most 200), newest first, with run counts by
   * status; `nextCursor` continues after it (null: no more). Throws StoreError INVALID for a
   * limit out of range or a cursor it did not issue.
   */
  async list(options: { limit?: number; cursor?: string } = {}): Promise<{ items: SweepListItem[]; nextCursor: string | null }> {
    const limit = pageSize(options.limit);
    const after = options.cursor ? decodeSweepCursor(options.cursor) : undefined;
    const rows = await storeCall('listing sweeps', () => this.db.$queryRaw<SweepListSqlRow[]>(sweepListSql(limit + 1, after)));
    const items = rows.slice(0, limit).map(toSweepListItem);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeSweepCursor(last) : null };
  }
}
