import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { RunEventBus, type LiveRunEvent } from '@trainyard/experiments';
import { startProcess, TEST_REDIS_URL, type StartedProcess } from '@trainyard/experiments/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvents } from '../src/live-events.js';
import { REPO_ROOT, runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../bin/trainyard.js', import.meta.url));

interface Up extends StartedProcess {
  /** The environment the CLI commands get: TRAINYARD_URL is this server. */
  env: Record<string, string>;
}

/** `trainyard up` as a user starts it: its own port, embedded database folder and queue prefix; `extraEnv` on top. */
async function startUp(extraEnv: Record<string, string> = {}): Promise<Up> {
  const env: Record<string, string> = {
    ...extraEnv,
    // The server takes a free port itself and says which (TRAINYARD_URL is set from it below).
    PORT: '0',
    TRAINYARD_DB_DIR: await makeTempDir('cli-db-'),
    TRAINYARD_QUEUE_PREFIX: `test-cli-${randomBytes(4).toString('hex')}`,
    TRAINYARD_DATA_HOME: await seedDataHome(await makeTempDir('cli-up-data-')),
    WORKER_HEARTBEAT_MS: '500',
  };
  const up = await startProcess(process.execPath, [BIN, 'up'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, ready: /API and dashboard on http:\/\/\S+:(\d+)/ });
  return { ...up, env: { ...env, TRAINYARD_URL: `http://127.0.0.1:${up.ready[1]}` } };
}

async function json<T>(args: string[], env: Record<string, string>): Promise<T> {
  const result = await runCli([...args, '--json'], env);
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface RunJson {
  id: string;
  status: string;
  testMetrics: Record<string, number> | null;
  currentEpoch?: number;
  reproduction?: { exact: boolean } | null;
}

async function waitFor(id: string, env: Record<string, string>, done: (run: RunJson) => boolean): Promise<RunJson> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const run = await json<RunJson>(['show', id], env);
    if (done(run) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('trainyard up, submit, ls, show, predict, export, rerun, cancel', () => {
  let up: Up;
  beforeAll(async () => {
    up = await startUp();
  });
  afterAll(async () => {
    await up.stop();
  });

  it('submit --wait trains a definition and ends with its test metrics', async () => {
    const out = await json<{ runs: RunJson[] }>(['submit', 'examples/notebook-2-sum.json', '--wait'], up.env);
    expect(out.runs).toHaveLength(1);
    expect(out.runs[0]?.status).toBe('SUCCEEDED');
    expect(out.runs[0]?.testMetrics?.mae).toBeLessThan(0.5);
  });

  it('a sweep queues grid x seeds, and resubmitting it queues nothing already done', async () => {
    const first = await json<{ sweep: { created: boolean }; runs: RunJson[] }>(['submit', 'examples/sweep-sum-small.json', '--wait'], up.env);
    expect(first.runs).toHaveLength(6);
    expect(first.runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    const again = await runCli(['submit', 'examples/sweep-sum-small.json'], up.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 runs queued \(resumed: 6 trials already queued, running or done\)/);
  });

  it('submit --wait follows a sweep of more runs than a page or an event filter takes (210), live, to every final status', async () => {
    const sweep = JSON.parse(await readFile(join(REPO_ROOT, 'examples/sweep-sum-small.json'), 'utf8')) as { name: string; base: Record<string, unknown>; grid: unknown };
    sweep.name = `big-${randomBytes(3).toString('hex')}`;
    sweep.base = { ...sweep.base, epochs: 1 };
    sweep.grid = { 'optimizer.learningRate': Array.from({ length: 105 }, (_, i) => (i + 1) / 1000) };
    const file = join(await makeTempDir('cli-big-sweep-'), 'sweep.json');
    await writeFile(file, JSON.stringify(sweep));
    const result = await runCli(['submit', file, '--wait', '--json'], up.env);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { runs: RunJson[] };
    expect(out.runs).toHaveLength(210);
    expect(new Set(out.runs.map((r) => r.id)).size).toBe(210);
    expect(out.runs.every((r) => r.status === 'SUCCEEDED' && r.testMetrics?.mae !== undefined)).toBe(true);
    // Progress goes to stderr with --json, a line per status change. Polling once a second sees a few runs
    // RUNNING; the live stream sees nearly all (the first ones may start before the stream is open).
    const running = result.stderr.split('\n').filter((line) => /\sRUNNING\s/.test(line));
    expect(running.length).toBeGreaterThan(105);
  });

  it('ls, show, predict, export and rerun a finished run; the rerun reproduces it exactly', async () => {
    const submitted = await json<{ runs: RunJson[] }>(['submit', 'examples/notebook-1-multiply.json', '--wait'], up.env);
    const id = submitted.runs[0]?.id ?? '';
    const list = await json<{ items: RunJson[] }>(['ls', '--status', 'SUCCEEDED'], up.env);
    expect(list.items.map((r) => r.id)).toContain(id);
    // Any unique start of the id does (the demo's table shows 8 digits), as git and docker take one.
    const short = id.slice(0, 8);
    const shown = await runCli(['show', short], up.env);
    expect(shown.stdout).toMatch(/status SUCCEEDED · attempt 1 · epoch 100\/100 · seed 7/);
    expect(shown.stdout).toContain(id);
    const unknown = await runCli(['show', 'ffffffff-ffff'], up.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('trainyard: no run id starts with ffffffff-ffff (trainyard ls lists the runs)\n');
    const predicted = await json<{ predictions: { output: number[] }[] }>(['predict', short, '--input', '[[5],[-9]]'], up.env);
    expect(Math.abs((predicted.predictions[0]?.output[0] ?? NaN) - 15)).toBeLessThan(0.5);
    const out = await makeTempDir('cli-export-');
    await json(['export', id, '--out', out], up.env);
    for (const file of ['model.json', 'weights.bin', 'preprocessor.json']) expect(existsSync(join(out, file)), file).toBe(true);

    const rerun = await json<{ runs: RunJson[] }>(['rerun', short], up.env);
    const reproduced = await waitFor(rerun.runs[0]?.id ?? '', up.env, (r) => r.reproduction !== null && r.reproduction !== undefined);
    expect(reproduced.status).toBe('SUCCEEDED');
    expect(reproduced.reproduction).toEqual({ exact: true, epochs: 100 });
  });

  it('cancel stops a running run and keeps its epochs so far', async () => {
    const dir = await makeTempDir('cli-long-');
    const file = join(dir, 'long.json');
    await writeFile(
      file,
      JSON.stringify({ name: 'long', seed: 1, dataset: { name: 'sum', n: 2000 }, model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 1 }] }, optimizer: 'adam', loss: 'mse', epochs: 5000 }),
    );
    const submitted = await json<{ runs: RunJson[] }>(['submit', file], up.env);
    const id = submitted.runs[0]?.id ?? '';
    await waitFor(id, up.env, (r) => (r.currentEpoch ?? 0) >= 2);
    const cancel = await runCli(['cancel', id], up.env);
    expect(cancel.stdout).toMatch(/cancel requested/);
    const cancelled = await waitFor(id, up.env, (r) => r.status === 'CANCELLED');
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.currentEpoch).toBeGreaterThanOrEqual(2);
    expect(cancelled.currentEpoch).toBeLessThan(5000);
  });

  it('submit --wait exits non-zero when a run fails, and an invalid file queues nothing', async () => {
    const dir = await makeTempDir('cli-fail-');
    const failing = join(dir, 'failing.json');
    // Valid, but unscaled inputs and a learning rate of 10 make the loss infinite in the first epoch.
    await writeFile(failing, JSON.stringify({ name: 'diverges', seed: 7, dataset: { name: 'sum', n: 40 }, model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: { name: 'sgd', learningRate: 10 }, loss: 'mse', epochs: 50 }));
    const failed = await runCli(['submit', failing, '--wait'], up.env);
    expect(failed.code).toBe(1);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(/FAILED/);

    // Nothing queued: the newest run is the same before and after, and none has the invalid file's name.
    const newest = async (): Promise<string | undefined> => (await json<{ items: RunJson[] }>(['ls', '--limit', '1'], up.env)).items[0]?.id;
    const before = await newest();
    const invalid = join(dir, 'invalid.json');
    const name = `bad-${randomBytes(3).toString('hex')}`;
    await writeFile(invalid, JSON.stringify({ ...JSON.parse(await readFile(join(REPO_ROOT, 'examples/notebook-2-sum.json'), 'utf8')), name, epochs: 0 }));
    const rejected = await runCli(['submit', invalid], up.env);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/epochs: must be >= 1/);
    expect(await newest()).toBe(before);
    expect((await json<{ items: RunJson[] }>(['ls', '--name', name], up.env)).items).toEqual([]);
  });
});

describe('without Redis', () => {
  it.each(['up', 'worker', 'demo'])('%s says so in one line with how to start one, and exits non-zero', async (command) => {
    const result = await runCli(command === 'demo' ? ['demo', '--exit'] : [command], {
      REDIS_URL: 'redis://127.0.0.1:1',
      TRAINYARD_DB_DIR: await makeTempDir('cli-noredis-'),
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Redis is not reachable at redis:\/\/127\.0\.0\.1:1.*redis-server/);
  });
});

describe('a port already taken', () => {
  it('dashboard says which port and what to set, in one line, exits non-zero and creates no database', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const dbDir = join(await makeTempDir('cli-port-'), 'db');
      const result = await runCli(['dashboard'], { PORT: String(port), TRAINYARD_DB_DIR: dbDir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^trainyard dashboard: port ${port} is in use .*set PORT to a free port, e\\.g\\. PORT=${port + 1}`))]);
      expect(result.stderr).not.toMatch(/EADDRINUSE/);
      expect(existsSync(dbDir)).toBe(false);
    } finally {
      taken.close();
    }
  });
});

describe('HOST beyond this machine', () => {
  it.each(['up', 'dashboard'])('%s without TRAINYARD_API_TOKEN names HOST and the token, exits non-zero and creates no database', async (command) => {
    const dbDir = join(await makeTempDir('cli-host-'), 'db');
    const result = await runCli([command], { HOST: '0.0.0.0', TRAINYARD_DB_DIR: dbDir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/HOST=0\.0\.0\.0 .*needs TRAINYARD_API_TOKEN/);
    expect(existsSync(dbDir)).toBe(false);
  });

  it.each(['up', 'dashboard'])('%s with a token shorter than 32 characters says how to make one, exits non-zero and creates no database', async (command) => {
    const dbDir = join(await makeTempDir('cli-short-token-'), 'db');
    const result = await runCli([command], { HOST: '0.0.0.0', TRAINYARD_API_TOKEN: 'team-token', TRAINYARD_DB_DIR: dbDir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/TRAINYARD_API_TOKEN is 10 characters long; .* at least 32: make one with `openssl rand -hex 32`/);
    expect(result.stderr).not.toContain('team-token');
    expect(existsSync(dbDir)).toBe(false);
  });
});

describe('client commands against a server with TRAINYARD_API_TOKEN', () => {
  const token = randomBytes(32).toString('hex');
  let up: Up;
  beforeAll(async () => {
    up = await startUp({ TRAINYARD_API_TOKEN: token });
  });
  afterAll(async () => {
    await up.stop();
  });

  it('submit, ls, show and export send the token; without it (or with a wrong one) they exit non-zero and name TRAINYARD_API_TOKEN', async () => {
    const submitted = await json<{ runs: RunJson[] }>(['submit', 'examples/notebook-1-multiply.json', '--wait'], up.env);
    const id = submitted.runs[0]?.id ?? '';
    expect(submitted.runs[0]?.status).toBe('SUCCEEDED');
    expect((await json<{ items: RunJson[] }>(['ls'], up.env)).items.map((r) => r.id)).toContain(id);
    expect((await runCli(['show', id], up.env)).stdout).toMatch(/status SUCCEEDED/);
    const out = await makeTempDir('cli-token-export-');
    await json(['export', id, '--out', out], up.env);
    for (const file of ['model.json', 'weights.bin', 'preprocessor.json']) expect(existsSync(join(out, file)), file).toBe(true);

    const { TRAINYARD_API_TOKEN: _, ...anonymous } = up.env;
    const elsewhere = await makeTempDir('cli-token-none-');
    for (const args of [['ls'], ['show', id], ['export', id, '--out', elsewhere]]) {
      const refused = await runCli(args, anonymous);
      expect({ args, code: refused.code }).toEqual({ args, code: 2 });
      expect(refused.stderr).toMatch(/^trainyard: the trainyard API at http:\/\/127\.0\.0\.1:\d+ needs its API token: set TRAINYARD_API_TOKEN to the server's token\n/);
      expect(refused.stdout).toBe('');
    }
    expect(existsSync(join(elsewhere, 'model.json'))).toBe(false);
    const wrong = await runCli(['ls'], { ...up.env, TRAINYARD_API_TOKEN: `${token.slice(0, -1)}x` });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/did not accept TRAINYARD_API_TOKEN/);
  });

  it("the live-event stream (submit --wait's progress) sends the token; without it the server refuses the stream", async () => {
    const runId = crypto.randomUUID();
    const bus = new RunEventBus({ redisUrl: TEST_REDIS_URL, prefix: up.env.TRAINYARD_QUEUE_PREFIX ?? '' });
    const follow = async (withToken: string | undefined): Promise<LiveRunEvent[]> => {
      const seen: LiveRunEvent[] = [];
      const stop = new AbortController();
      const following = followEvents(up.env.TRAINYARD_URL ?? '', [runId], (event) => (seen.push(event), stop.abort()), stop.signal, withToken);
      // Published until one arrives: the stream subscribes some time after the request.
      const deadline = Date.now() + 10_000;
      let ended = false;
      void following.then(() => (ended = true));
      while (!ended && Date.now() < deadline) {
        await bus.publish({ runId, type: 'epoch', epoch: 1, epochs: 2 });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      stop.abort();
      await following;
      return seen;
    };
    try {
      expect(await follow(token)).toMatchObject([{ runId, type: 'epoch', epoch: 1 }]);
      // Refused (401): the stream ends at once, with nothing.
      expect(await follow(undefined)).toEqual([]);
    } finally {
      await bus.close();
    }
  });
});
