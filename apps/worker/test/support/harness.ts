import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFailed } from 'vitest';
import {
  cancelRun,
  createRedis,
  DEFAULT_SERVER_LIMITS,
  FINAL_STATUSES,
  EpochMetricRepository,
  experimentDefinitionSchema,
  ExperimentRepository,
  openDatabase,
  rerunRun,
  RunEventBus,
  RunProducer,
  RunRepository,
  submitRuns,
  type Database,
  type ExperimentDefinitionInput,
} from '@trainyard/experiments';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '@trainyard/experiments/testing';
import { waitFor } from './wait-for.js';
import { WorkerProcess, type WorkerProcessOptions } from './worker-process.js';

export interface HarnessOptions {
  redisUrl?: string;
  databaseUrl?: string;
}

/**
 * One test's world: its own PostgreSQL schema and BullMQ prefix on real services, the
 * worker processes it starts, and what it needs to submit, cancel and inspect runs.
 * `cleanup()` stops the workers and removes the schema and every Redis key of the prefix.
 */
export class Harness {
  readonly workers: WorkerProcess[] = [];
  readonly runs: RunRepository;
  readonly epochs: EpochMetricRepository;

  private constructor(
    readonly redisUrl: string,
    readonly databaseUrl: string,
    readonly schema: string,
    readonly prefix: string,
    readonly database: Database,
    readonly producer: RunProducer,
    readonly bus: RunEventBus,
    private readonly dataHome: string,
  ) {
    this.runs = new RunRepository(database.prisma);
    this.epochs = new EpochMetricRepository(database.prisma);
  }

  static async create(options: HarnessOptions = {}): Promise<Harness> {
    const id = randomBytes(4).toString('hex');
    const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
    const databaseUrl = options.databaseUrl ?? TEST_DATABASE_URL;
    const schema = `worker_it_${id}`;
    const database = await openDatabase({ databaseUrl, schema });
    const prefix = `test-worker-${id}`;
    const harness = new Harness(
      redisUrl,
      databaseUrl,
      schema,
      prefix,
      database,
      new RunProducer({ redisUrl, prefix }),
      new RunEventBus({ redisUrl, prefix }),
      mkdtempSync(join(tmpdir(), 'trainyard-data-')),
    );
    // What the worker processes printed is the first thing to read when a test fails.
    onTestFailed(() => harness.printWorkerOutput());
    return harness;
  }

  printWorkerOutput(): void {
    for (const w of this.workers) console.log(`--- worker ${w.name}\n${w.output}`);
  }

  async startWorker(name: string, options: Partial<WorkerProcessOptions> = {}): Promise<WorkerProcess> {
    const worker = new WorkerProcess({
      name,
      redisUrl: this.redisUrl,
      prefix: this.prefix,
      databaseUrl: this.databaseUrl,
      schema: this.schema,
      dataHome: this.dataHome,
      ...options,
    });
    this.workers.push(worker);
    await worker.ready();
    return worker;
  }

  worker(name: string | null | undefined): WorkerProcess {
    const found = this.workers.find((w) => w.name === name);
    if (!found) throw new Error(`no worker named ${name}`);
    return found;
  }

  /** Submits a definition (or sweep) the way the CLI and the API do; returns the run ids. */
  async submit(input: unknown): Promise<string[]> {
    const response = await submitRuns(input, { prisma: this.database.prisma, queue: this.producer, limits: DEFAULT_SERVER_LIMITS });
    return response.runs.map((run) => run.id);
  }

  /**
   * Writes a run straight into the database and queue, past every check of a submission but
   * the schema's (defaults filled): what a worker must cope with whatever the API lets through.
   */
  async insertRun(input: ExperimentDefinitionInput & { seed: number }): Promise<string> {
    const definition = experimentDefinitionSchema.parse(input);
    const experiment = await new ExperimentRepository(this.database.prisma).create({
      name: definition.name,
      definition,
      specHash: '0'.repeat(64),
      dataset: definition.dataset.name,
    });
    const run = await this.runs.createQueued({ experimentId: experiment.id, seed: input.seed, epochs: definition.epochs });
    await this.producer.enqueue([run.id]);
    return run.id;
  }

  /** Queues a rerun of a finished run, as the CLI's and the API's rerun do; returns its id. */
  async rerun(runId: string): Promise<string[]> {
    const response = await rerunRun(runId, { prisma: this.database.prisma, queue: this.producer, limits: DEFAULT_SERVER_LIMITS });
    return response.runs.map((run) => run.id);
  }

  cancel(runId: string) {
    return cancelRun(runId, { prisma: this.database.prisma, queue: this.producer, bus: this.bus });
  }

  async run(runId: string) {
    const run = await this.runs.get(runId);
    if (!run) throw new Error(`run ${runId} not found`);
    return run;
  }

  async epochNumbers(runId: string): Promise<number[]> {
    return (await this.epochs.list(runId)).map((row) => row.epoch);
  }

  /** Waits until the run has recorded at least `epoch` epochs (it is training now). */
  waitForEpoch(runId: string, epoch: number) {
    return waitFor(async () => {
      const run = await this.run(runId);
      return run.currentEpoch >= epoch ? run : undefined;
    }, { what: `run ${runId} to reach epoch ${epoch}` });
  }

  waitFinal(runIds: string[], timeoutMs = 120_000) {
    return waitFor(
      async () => {
        const runs = await Promise.all(runIds.map((id) => this.run(id)));
        return runs.every((run) => FINAL_STATUSES.includes(run.status)) ? runs : undefined;
      },
      { what: `${runIds.length} run(s) to finish`, timeoutMs },
    );
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    // DEBUG_WORKERS=1 shows what the worker processes printed in passing tests too.
    if (process.env['DEBUG_WORKERS']) this.printWorkerOutput();
    await this.producer.close();
    await this.bus.close();
    // A cleanup that fails must not hide the test's own result; it leaves keys or a schema behind, and says so.
    const leftBehind = (what: string) => (error: unknown) => console.warn(`cleanup: ${what} left behind: ${error instanceof Error ? error.message : String(error)}`);
    await deleteKeys(this.redisUrl, this.prefix).catch(leftBehind(`Redis keys ${this.prefix}:*`));
    await this.database.sql.transaction((session) => session.exec(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`)).catch(leftBehind(`schema ${this.schema}`));
    await this.database.close();
    rmSync(this.dataHome, { recursive: true, force: true });
  }
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl, 'producer');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
