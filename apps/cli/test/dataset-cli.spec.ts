import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.js';

/** Nothing listens here: any request would fail as unreachable, so these prove none is made. */
const env = { TRAINYARD_URL: 'http://127.0.0.1:1' };

describe('trainyard dataset: help and what is wrong before any request', () => {
  it('dataset alone prints every dataset command and exits 2; --help after one prints its own', async () => {
    const bare = await runCli(['dataset'], env);
    expect(bare.code).toBe(2);
    for (const action of ['add FILE', 'ls', 'show NAME[@VERSION]', 'get NAME[@VERSION]', 'rm NAME@VERSION']) expect(bare.stdout).toContain(`trainyard dataset ${action}`);
    const help = await runCli(['dataset', 'get', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^trainyard dataset get NAME\[@VERSION\] \[--out FILE\]\n.*sha256/s);
    expect((await runCli(['--help'], env)).stdout).toContain('trainyard dataset add FILE');
  });

  it.each([
    [['dataset', 'frob'], /unknown dataset command "frob": add, ls, show, get or rm/],
    [['dataset', 'rm', 'apartments'], /dataset rm needs a version: apartments@1, apartments@2/],
    [['dataset', 'show', 'Apartments'], /"Apartments" is not a dataset name or NAME@VERSION/],
    [['dataset', 'show'], /dataset show needs a dataset NAME or NAME@VERSION/],
    [['dataset', 'add', 'data.csv', '--name', 'iris'], /--name: "iris" is the name of a built-in dataset/],
    [['dataset', 'add', 'nope/data.csv'], new RegExp(`^trainyard: no such file: ${join(REPO_ROOT, 'nope', 'data.csv')}\n$`)],
    [['dataset', 'get', 'apartments@1', '--json'], /--json needs --out FILE/],
    [['dataset', 'show', 'a', 'b'], /unexpected arguments: b/],
  ])('%j: exit 2 and says what is wrong', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/not reachable/);
  });

  it('without a server: one line naming TRAINYARD_URL, exit 1', async () => {
    const result = await runCli(['dataset', 'ls'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('trainyard: the trainyard API is not reachable at http://127.0.0.1:1: start it with "npx trainyard up" or set TRAINYARD_URL\n');
  });
});
