import { randomBytes } from 'node:crypto';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { openDatabase, RunProducer, type Database, type SubmissionResponse } from '@trainyard/experiments';
import { startProcess, TEST_DATABASE_URL, TEST_REDIS_URL, testSchemaName, type StartedProcess } from '@trainyard/experiments/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_INPUTS, CORPUS_SYMLINK, validDefinition, type BadInput } from './support/bad-input-corpus.js';
import { REPO_ROOT } from './run-cli.js';

const BIN = fileURLToPath(new URL('../bin/trainyard.js', import.meta.url));
/** What an answer must never carry: a stack frame, a source path, SQL, the ORM's name. */
const LEAK = /\bat \S+ \(|\.ts:\d+|\/work\/|node_modules|\bSELECT\b|\bINSERT\b|\bUPDATE "|prisma|postgres(ql)?:\/\//i;

interface Answer {
  status: number;
  text: string;
  error?: { code?: string; message?: string; issues?: { path: string; message: string }[] };
}

/**
 * A team stack as the probe ran it: `trainyard dashboard` with an API token and a
 * `trainyard worker`, separate processes over PostgreSQL (a schema of their own) and Redis.
 */
class TeamStack {
  readonly token = randomBytes(32).toString('hex');
  readonly schema = testSchemaName('hard');
  readonly prefix = `test-hard-${randomBytes(4).toString('hex')}`;
  api!: StartedProcess;
  worker!: StartedProcess;
  url = '';
  db!: Database;
  producer!: RunProducer;

  async start(): Promise<void> {
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      TRAINYARD_DB_SCHEMA: this.schema,
      REDIS_URL: TEST_REDIS_URL,
      TRAINYARD_QUEUE_PREFIX: this.prefix,
      TRAINYARD_API_TOKEN: this.token,
      TRAINYARD_DATA_HOME: await seedDataHome(await makeTempDir('hard-data-')),
      PORT: '0',
      WORKER_HEARTBEAT_MS: '500',
    };
    this.api = await startProcess(process.execPath, [BIN, 'dashboard'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, ready: /API and dashboard on http:\/\/\S+:(\d+)/ });
    this.url = `http://127.0.0.1:${this.api.ready[1]}`;
    this.worker = await startProcess(process.execPath, [BIN, 'worker'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, ready: /worker \S+ ready/ });
    this.db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema: this.schema });
    this.producer = new RunProducer({ redisUrl: TEST_REDIS_URL, prefix: this.prefix });
  }

  async stop(): Promise<void> {
    await Promise.all([this.api?.stop(), this.worker?.stop()]);
    await this.producer?.close();
    if (this.db) {
      await this.db.sql.transaction((session) => session.exec(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`));
      await this.db.close();
    }
  }

  /**
   * One request over node:http, which reads the server's answer even when the server answers
   * before the body is sent and closes (a 413 for a body over the limit): fetch reports that
   * as a failed request (EPIPE) instead of the answer.
   */
  call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; anonymous?: boolean } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (!options.anonymous) headers.authorization = `Bearer ${this.token}`;
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = value.replace('TOKEN', this.token);
    const { hostname, port } = new URL(this.url);
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request({ hostname, port, method, path, headers, timeout: 30_000 }, (response) => {
        answered = true;
        // An event stream that opened would never end: read only the status then.
        if (response.headers['content-type']?.startsWith('text/event-stream')) {
          response.destroy();
          resolve({ status: response.statusCode ?? 0, text: '' });
          return;
        }
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(parseAnswer(response.statusCode ?? 0, text)));
        response.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      // The server may close while the body is still being sent, after it answered.
      req.on('error', (error) => {
        // The answer may still be on its way when the write fails: give it a moment.
        setTimeout(() => {
          if (!answered) reject(error);
        }, 500);
      });
      req.end(payload);
    });
  }

  /** Rows and jobs: what a refused request must leave as it was. */
  async footprint(): Promise<{ experiments: number; runs: number; sweeps: number; datasets: number; blobs: number; jobs: number }> {
    const [experiments, runs, sweeps, datasets, blobs, counts] = await Promise.all([
      this.db.prisma.experiment.count(),
      this.db.prisma.run.count(),
      this.db.prisma.sweep.count(),
      this.db.prisma.datasetVersion.count(),
      this.db.prisma.blob.count(),
      this.producer.counts(),
    ]);
    const jobs = Object.values(counts).reduce((sum: number, n) => sum + (typeof n === 'number' ? n : 0), 0);
    return { experiments, runs, sweeps, datasets, blobs, jobs };
  }

  async waitForStatus(runId: string, statuses: string[]): Promise<string> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const run = await this.db.prisma.run.findUnique({ where: { id: runId }, select: { status: true } });
      if ((run && statuses.includes(run.status)) || Date.now() > deadline) return run?.status ?? 'MISSING';
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function parseAnswer(status: number, text: string): Answer {
  let error: Answer['error'];
  try {
    error = (JSON.parse(text) as { error?: Answer['error'] }).error;
  } catch {
    error = undefined;
  }
  return { status, text, ...(error ? { error } : {}) };
}

/** Why an answer to a bad input is wrong, or undefined when it is right. */
function problemWith(input: BadInput, answer: Answer): string | undefined {
  if (answer.status !== input.status) return `answered ${answer.status}, expected ${input.status}: ${answer.text.slice(0, 300)}`;
  if (LEAK.test(answer.text)) return `leaks internals: ${answer.text.slice(0, 300)}`;
  if (input.field === undefined) return answer.error?.message ? undefined : `no error message: ${answer.text.slice(0, 300)}`;
  const named = (answer.error?.issues ?? []).some((issue) => issue.path.startsWith(input.field ?? ''));
  return named ? undefined : `does not name ${input.field || '(the body)'}: ${answer.text.slice(0, 300)}`;
}

describe('hardening: a team server (API with a token, a worker, PostgreSQL, Redis) under bad input', () => {
  const stack = new TeamStack();
  beforeAll(async () => {
    await mkdir(dirname(CORPUS_SYMLINK), { recursive: true });
    await symlink('/etc/passwd', CORPUS_SYMLINK);
    await stack.start();
  }, 120_000);
  afterAll(async () => {
    await rm(dirname(CORPUS_SYMLINK), { recursive: true, force: true });
    await stack.stop();
  }, 60_000);

  it(`answers each of ${BAD_INPUTS.length} bad inputs with a 4xx naming the field, never a 5xx, and writes and queues nothing`, async () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(100);
    const before = await stack.footprint();
    const problems: string[] = [];
    for (const input of BAD_INPUTS) {
      const send = (): Promise<Answer> => stack.call(input.method, input.path, { body: input.body, headers: input.headers ?? {}, anonymous: input.anonymous ?? false });
      // A server that refuses a body over its limit answers and closes while the client may
      // still be writing: the client can then see the closed socket instead of the 413.
      const answer = input.status === 413 ? await send().catch(send).catch(send) : await send();
      const problem = problemWith(input, answer);
      if (problem) problems.push(`${input.name}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(await stack.footprint()).toEqual(before);
    // Nothing the sweeps tried reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(stack.api.child.exitCode).toBeNull();
    expect(stack.worker.child.exitCode).toBeNull();
  });

  it('still serves afterwards: /healthz, a listing, and a valid run trained to SUCCEEDED by the worker', async () => {
    expect((await stack.call('GET', '/healthz', { anonymous: true })).status).toBe(200);
    // The API's description is public (its shape, no data); what it describes is not.
    expect((await stack.call('GET', '/api/openapi.json', { anonymous: true })).status).toBe(200);
    expect((await stack.call('GET', '/api/runs')).status).toBe(200);
    const submitted = await stack.call('POST', '/api/experiments', { body: validDefinition('after the corpus') });
    expect(submitted.status).toBe(201);
    const [run] = (JSON.parse(submitted.text) as SubmissionResponse).runs;
    expect(await stack.waitForStatus(run?.id ?? '', ['SUCCEEDED', 'FAILED'])).toBe('SUCCEEDED');
  });

  it('queues each missing trial of a resubmitted sweep once, however many identical submissions arrive together', async () => {
    const sweep = { name: 'resubmitted together', base: { ...validDefinition('resubmitted'), epochs: 2_000 }, grid: { 'optimizer.learningRate': [0.001, 0.002, 0.003, 0.004, 0.005] } };
    const first = await stack.call('POST', '/api/experiments', { body: sweep });
    expect(first.status).toBe(201);
    const runs = (JSON.parse(first.text) as SubmissionResponse).runs;
    expect(runs).toHaveLength(5);
    // Cancelled trials are missing ones: a resubmission queues them again.
    for (const run of runs) expect((await stack.call('POST', `/api/runs/${run.id}/cancel`)).status).toBe(200);
    for (const run of runs) expect(await stack.waitForStatus(run.id, ['CANCELLED', 'SUCCEEDED', 'FAILED'])).toBe('CANCELLED');

    const answers = await Promise.all(Array.from({ length: 5 }, () => stack.call('POST', '/api/experiments', { body: sweep })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    const queued = answers.flatMap((a) => (JSON.parse(a.text) as SubmissionResponse).runs);
    expect(queued).toHaveLength(5);
    const sweepRow = await stack.db.prisma.sweep.findUniqueOrThrow({ where: { name: sweep.name }, select: { id: true } });
    expect(await stack.db.prisma.run.count({ where: { experiment: { sweepId: sweepRow.id } } })).toBe(10);
    for (const run of queued) await stack.call('POST', `/api/runs/${run.id}/cancel`);
  });
});
