import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './run-cli.js';

const REFUSE = fileURLToPath(new URL('./support/refuse-infrastructure.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/trainyard.js', import.meta.url));
const THREAD = fileURLToPath(new URL('../../worker/src/thread/training-thread.ts', import.meta.url));

/** Node with the store's and the queue's packages refused: what it printed and how it ended. */
function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', REFUSE, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('what trains loads neither Prisma nor BullMQ', () => {
  it('refuses them for real: the package root of @trainyard/experiments imports both', async () => {
    const result = await run(['--import', 'tsx', '-e', "await import('@trainyard/experiments')"]);
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/refused import of (@prisma\/|bullmq|ioredis|@electric-sql)/);
  });

  it('`trainyard train` trains the notebook multiply task', async () => {
    const result = await run([BIN, 'train', 'examples/notebook-1-multiply.json', '--json']);
    expect(result.out).not.toMatch(/refused import/);
    expect(result.code).toBe(0);
  });

  it("a worker's training thread loads all it imports", async () => {
    // Outside a worker thread its body stops at once, after every import has loaded.
    const result = await run(['--import', 'tsx', THREAD]);
    expect(result.out).not.toMatch(/refused import/);
    expect(result.out).toMatch(/runs as a worker thread only/);
  });
});
