import { metricsRecordSchema, type ExperimentDefinition, type RunRelease } from '@trainyard/contract';
import { sha256Hex } from '@trainyard/data';
import type { RunFailure, RunResult, StartEvent } from '../pipeline/run-events.js';
import { compareEpochs } from './compare-epochs.js';
import { Prisma, type PrismaClient } from './prisma-client.js';
import { storeCall } from './store-error.js';
import type { RunEnv } from './store-types.js';
import type { AttemptInfo, ClaimedRun, ClaimOptions, RunLedger } from '../runs/run-ledger.js';

// Artifacts can be megabytes; Prisma's default of 5 s for an interactive transaction is
// meant for short OLTP work and would abort a slow but healthy commit.
const SUCCEED_TIMEOUT_MS = 60_000;

/**
 * The RunLedger on Prisma. Fencing: every write after claim() is an UPDATE conditioned on
 * (id, attempt, status RUNNING), and its row count says whether this attempt still owns the
 * run; a stale attempt's writes change nothing and return false.
 */
export class PrismaRunLedger implements RunLedger {
  constructor(private readonly prisma: PrismaClient) {}

  claim(runId: string, who: AttemptInfo, options: ClaimOptions = {}): Promise<ClaimedRun | null> {
    const takeOver = !options.onlyQueued;
    return storeCall('claiming a run', async () => {
      // One statement: of two workers claiming the same run, each gets its own attempt number.
      // SET reads the row as it was, so taking over a RUNNING run (its attempt never ended:
      // the worker died, or the reaper queued it again after its heartbeat went stale) counts
      // a crash, while a QUEUED one (new, retried, handed back at shutdown) does not.
      // Timestamps in UTC like Prisma's own writes, whatever the session's time zone.
      const [claimed] = await this.prisma.$queryRaw<{ attempt: number; crashes: number; seed: number; definition: unknown; reproducesPack: boolean | null }[]>`
        UPDATE "Run" AS r SET
          "status" = 'RUNNING', "attempt" = r."attempt" + 1,
          "crashes" = r."crashes" + CASE WHEN r."status" = 'RUNNING' THEN 1 ELSE 0 END,
          "workerId" = ${who.workerId}, "host" = ${who.host},
          "startedAt" = now() AT TIME ZONE 'UTC', "heartbeatAt" = now() AT TIME ZONE 'UTC',
          -- The pack of an earlier attempt is not the pack of this one: its start event says it.
          "env" = r."env" - 'pack'
        FROM "Experiment" AS e
        WHERE r."id" = ${runId}::uuid AND e."id" = r."experimentId"
          AND (r."status" = 'QUEUED' OR (${takeOver}::boolean AND r."status" = 'RUNNING')) AND NOT r."cancelRequested"
        RETURNING r."attempt", r."crashes", r."seed", e."definition",
          (SELECT jsonb_typeof(o."env" -> 'pack') = 'object' FROM "Run" AS o WHERE o."id" = r."reproducesRunId") AS "reproducesPack"`;
      if (claimed) {
        // Stored after validation at submission; the seed lives on the run (a rerun keeps it).
        const definition = { ...(claimed.definition as ExperimentDefinition), seed: claimed.seed };
        return { runId, attempt: claimed.attempt, crashes: claimed.crashes, definition, ...(claimed.reproducesPack ? { trainAsPack: true } : {}) };
      }
      // A cancel asked for before the job could start (or while the previous attempt ran).
      await this.prisma.run.updateMany({
        where: { id: runId, status: { in: takeOver ? ['QUEUED', 'RUNNING'] : ['QUEUED'] }, cancelRequested: true },
        data: { status: 'CANCELLED', finishedAt: new Date() },
      });
      return null;
    });
  }

  recordStart(runId: string, attempt: number, start: StartEvent): Promise<boolean> {
    const { type: _type, seed: _seed, summary, ...env } = start;
    return this.fenced('recording a run start', runId, attempt, {
      backend: start.backend.name,
      datasetHash: start.dataset.hash,
      env: env satisfies RunEnv as unknown as Prisma.InputJsonValue,
      summary: summary as unknown as Prisma.InputJsonValue,
      heartbeatAt: new Date(),
    });
  }

  recordEpoch(runId: string, attempt: number, epoch: number, metrics: Record<string, number>, durationMs: number): Promise<boolean> {
    // One statement, one round trip: the fenced UPDATE of the run feeds the upsert of the
    // epoch row, so a stale attempt writes neither and a repeated epoch overwrites its row.
    return storeCall('recording an epoch', async () => {
      const count = await this.prisma.$executeRaw`
        WITH owned AS (
          UPDATE "Run" SET "currentEpoch" = ${epoch}::int, "heartbeatAt" = now()
          WHERE "id" = ${runId}::uuid AND "attempt" = ${attempt}::int AND "status" = 'RUNNING'
          RETURNING "id"
        )
        INSERT INTO "EpochMetric" ("runId", "epoch", "metrics", "durationMs")
        SELECT "id", ${epoch}::int, ${JSON.stringify(metrics)}::jsonb, ${durationMs}::double precision FROM owned
        ON CONFLICT ("runId", "epoch") DO UPDATE SET "metrics" = EXCLUDED."metrics", "durationMs" = EXCLUDED."durationMs"`;
      return count === 1;
    });
  }

  heartbeat(runId: string, attempt: number): Promise<{ owned: boolean; cancelRequested: boolean }> {
    return storeCall('recording a heartbeat', async () => {
      const [row] = await this.prisma.run.updateManyAndReturn({
        where: { id: runId, attempt, status: 'RUNNING' },
        data: { heartbeatAt: new Date() },
        select: { cancelRequested: true },
      });
      return { owned: row !== undefined, cancelRequested: row?.cancelRequested ?? false };
    });
  }

  succeed(runId: string, attempt: number, result: RunResult): Promise<boolean> {
    const artifacts = [
      { kind: 'MODEL_TOPOLOGY' as const, bytes: jsonBytes(result.model.modelJson) },
      { kind: 'WEIGHTS' as const, bytes: new Uint8Array(result.model.weightData) },
      { kind: 'PREPROCESSOR' as const, bytes: jsonBytes(result.preprocessor) },
    ];
    return storeCall('recording a finished run', () =>
      this.prisma.$transaction(
        async (tx) => {
          const [run] = await tx.run.updateManyAndReturn({
            where: { id: runId, attempt, status: 'RUNNING' },
            data: {
              status: 'SUCCEEDED',
              finishedAt: new Date(),
              testMetrics: result.testMetrics,
              evaluation: json(result.evaluation),
              summary: json(result.summary),
              samples: json(result.samples),
              predictions: json(result.predictions),
              weights: json(result.weights),
              stoppedEarly: result.stoppedEarly,
              bestEpoch: result.bestEpoch ?? null,
              durationMs: result.durationMs,
            },
            select: { reproducesRunId: true },
          });
          if (!run) return false;
          for (const { kind, bytes } of artifacts) {
            const content = { bytes, sha256: sha256Hex(bytes), size: bytes.byteLength };
            await tx.artifact.upsert({ where: { runId_kind: { runId, kind } }, create: { runId, kind, ...content }, update: content });
          }
          if (run.reproducesRunId) {
            const select = { epoch: true, metrics: true } as const;
            const [original, rerun] = await Promise.all(
              [run.reproducesRunId, runId].map((id) => tx.epochMetric.findMany({ where: { runId: id }, orderBy: { epoch: 'asc' }, select })),
            );
            const reproduction = compareEpochs(asEpochs(original ?? []), asEpochs(rerun ?? []));
            await tx.run.update({ where: { id: runId }, data: { reproduction }, select: { id: true } });
          }
          return true;
        },
        { timeout: SUCCEED_TIMEOUT_MS },
      ),
    );
  }

  fail(runId: string, attempt: number, failure: RunFailure): Promise<boolean> {
    return this.fenced('recording a failed run', runId, attempt, {
      status: 'FAILED',
      finishedAt: new Date(),
      errorKind: failure.kind,
      errorCode: failure.code,
      error: failure.message,
    });
  }

  cancelled(runId: string, attempt: number): Promise<boolean> {
    return this.fenced('recording a cancelled run', runId, attempt, { status: 'CANCELLED', finishedAt: new Date() });
  }

  release(runId: string, attempt: number, reason: string, options: { crashed?: boolean } = {}): Promise<boolean> {
    const entry = JSON.stringify([{ attempt, reason, at: new Date().toISOString(), crashed: options.crashed ?? false } satisfies RunRelease]);
    const crashed = options.crashed ? 1 : 0;
    // Raw SQL to append to the json array in place; cancelRequested stays as it is, so a
    // cancel asked for during shutdown still wins at the next claim.
    return storeCall('releasing a run', async () => {
      const count = await this.prisma.$executeRaw`
        UPDATE "Run" SET "status" = 'QUEUED', "heartbeatAt" = NULL, "crashes" = "crashes" + ${crashed}::int,
          "releases" = COALESCE("releases", '[]'::jsonb) || ${entry}::jsonb
        WHERE "id" = ${runId}::uuid AND "attempt" = ${attempt}::int AND "status" = 'RUNNING'`;
      return count === 1;
    });
  }

  private fenced(context: string, runId: string, attempt: number, data: Prisma.RunUpdateManyMutationInput): Promise<boolean> {
    return storeCall(context, async () => {
      const { count } = await this.prisma.run.updateMany({ where: { id: runId, attempt, status: 'RUNNING' }, data });
      return count === 1;
    });
  }
}

function jsonBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** Json column value: undefined/null become SQL NULL. */
function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined || value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

function asEpochs(rows: { epoch: number; metrics: unknown }[]): { epoch: number; metrics: Record<string, number> }[] {
  return rows.map((row) => ({ epoch: row.epoch, metrics: metricsRecordSchema.parse(row.metrics) }));
}
