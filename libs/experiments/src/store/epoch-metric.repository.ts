import { metricsRecordSchema } from '@trainyard/contract';
import type { DbClient } from './prisma-client.js';
import { storeCall } from './store-error.js';
import type { EpochRow } from './store-types.js';

/** Reads epoch rows; they are written through the run ledger (fenced by attempt). */
export class EpochMetricRepository {
  constructor(private readonly db: DbClient) {}

  async list(runId: string): Promise<EpochRow[]> {
    const rows = await storeCall('listing epochs', () =>
      this.db.epochMetric.findMany({
        where: { runId },
        orderBy: { epoch: 'asc' },
        select: { epoch: true, metrics: true, durationMs: true, createdAt: true },
      }),
    );
    return rows.map((row) => ({ ...row, metrics: metricsRecordSchema.parse(row.metrics) }));
  }
}
