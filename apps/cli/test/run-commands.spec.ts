import type { RunListResponse, RunView, SubmissionResponse } from '@trainyard/contract';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../src/api-client.js';
import type { CliIo } from '../src/cli-io.js';
import { describeRerunOutcome, rerunCommand, resolveRunId } from '../src/commands/runs.command.js';

const ORIGINAL = '87a703f3-1111-4000-8000-000000000001';
const RERUN = '5e7f0a11-2222-4000-8000-000000000002';

function view(over: Partial<RunView> & Pick<RunView, 'id'>): RunView {
  return {
    name: 'notebook-1-multiply',
    status: 'SUCCEEDED',
    experimentId: '00000000-0000-4000-8000-000000000000',
    sweepId: null,
    sweepName: null,
    dataset: 'multiply',
    seed: 7,
    attempt: 1,
    currentEpoch: 100,
    epochs: 100,
    backend: 'wasm',
    testMetrics: null,
    queuedAt: '2026-12-04T10:00:00.000Z',
    startedAt: '2026-12-04T10:00:01.000Z',
    finishedAt: '2026-12-04T10:00:02.000Z',
    durationMs: 900,
    error: null,
    reproducesRunId: null,
    reproduction: null,
    params: null,
    ...over,
  };
}

/** Runs by id; listRuns answers `idPrefix` and `ids` queries as the server does. */
function fakeApi(runs: RunView[], extra: Partial<ApiClient> = {}): ApiClient & { listRuns: ReturnType<typeof vi.fn> } {
  const listRuns = vi.fn(async (query: { idPrefix?: string; ids?: string; limit?: string } = {}): Promise<RunListResponse> => {
    let items = runs;
    if (query.idPrefix) items = items.filter((r) => r.id.startsWith(query.idPrefix ?? ''));
    if (query.ids) items = items.filter((r) => query.ids?.split(',').includes(r.id));
    return { items: items.slice(0, Number(query.limit ?? 50)), nextCursor: null };
  });
  // Nothing listens there: the live stream ends at once and the board follows by polling.
  return { baseUrl: 'http://127.0.0.1:9', token: undefined, listRuns, getRun: vi.fn(async (id: string) => runs.find((r) => r.id === id)), ...extra } as unknown as ApiClient & { listRuns: ReturnType<typeof vi.fn> };
}

function io(): CliIo & { out: () => string } {
  let text = '';
  const stream = { isTTY: false, rows: 24, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stdout: stream, stderr: stream, out: () => text };
}

describe('resolveRunId: any unique prefix of at least 4 hex digits, as git and docker take', () => {
  const runs = [view({ id: ORIGINAL }), view({ id: '87a703f3-9999-4000-8000-000000000003', name: 'twin' }), view({ id: RERUN, name: 'other' })];

  it('a full id is taken as it is, without a request', async () => {
    const api = fakeApi(runs);
    expect(await resolveRunId(ORIGINAL.toUpperCase(), api)).toBe(ORIGINAL);
    expect(api.listRuns).not.toHaveBeenCalled();
  });

  it('a unique prefix resolves through GET /api/runs?idPrefix', async () => {
    const api = fakeApi(runs);
    expect(await resolveRunId('5e7f', api)).toBe(RERUN);
    expect(await resolveRunId('87a703f3-1', api)).toBe(ORIGINAL);
    expect(api.listRuns).toHaveBeenCalledWith({ idPrefix: '5e7f', limit: expect.any(String) });
  });

  it('ambiguous: an error listing the candidates; none: an error saying so; not hex: refused before asking', async () => {
    const ambiguous = await resolveRunId('87a703f3', fakeApi(runs)).catch((e: unknown) => e);
    expect(ambiguous).toBeInstanceOf(ApiError);
    expect((ambiguous as ApiError).status).toBe(400);
    expect((ambiguous as ApiError).message).toBe(
      `87a703f3 is the start of more than one run id (${ORIGINAL} notebook-1-multiply (SUCCEEDED); 87a703f3-9999-4000-8000-000000000003 twin (SUCCEEDED)): give more of its digits`,
    );
    await expect(resolveRunId('ffff', fakeApi(runs))).rejects.toMatchObject({ status: 404, message: 'no run id starts with ffff (trainyard ls lists the runs)' });
    const api = fakeApi(runs);
    await expect(resolveRunId('87a', api)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/first 4 or more hex digits/) });
    await expect(resolveRunId('my-run', api)).rejects.toMatchObject({ status: 400 });
    expect(api.listRuns).not.toHaveBeenCalled();
  });
});

describe('rerun --wait', () => {
  it('follows the rerun like submit --wait and ends with the reproduction verdict in words', async () => {
    const rerun = view({ id: RERUN, reproducesRunId: ORIGINAL, testMetrics: null, reproduction: { exact: true, epochs: 100 } });
    const submitted: SubmissionResponse = { runs: [{ id: RERUN, name: rerun.name, status: 'QUEUED', seed: 7 }] };
    const api = fakeApi([view({ id: ORIGINAL }), rerun], { rerun: vi.fn(async () => submitted) });
    const out = io();
    const code = await rerunCommand('87a7', false, api, out, { wait: true, signal: new AbortController().signal });
    expect(code).toBe(0);
    expect(api.rerun).toHaveBeenCalledWith(ORIGINAL);
    const lines = out.out().trim().split('\n');
    expect(lines[0]).toBe(`queued ${RERUN} notebook-1-multiply (reproduces ${ORIGINAL}, seed 7)`);
    // The run board's line, then the table, then the verdict.
    expect(out.out()).toMatch(/notebook-1-multiply\s+SUCCEEDED\s+\[=+\] 100\/100/);
    expect(lines.at(-1)).toBe(`${RERUN} reproduces ${ORIGINAL}: reproduced exactly: 100 epochs, every metric equal`);
  });

  it('without --wait: queued, as before; --json --wait prints the verdict as data', async () => {
    const rerun = view({ id: RERUN, reproducesRunId: ORIGINAL, reproduction: { exact: false, maxAbsDiff: 0.002, firstDivergentEpoch: 4, metric: 'loss' } });
    const submitted: SubmissionResponse = { runs: [{ id: RERUN, name: rerun.name, status: 'QUEUED', seed: 7 }] };
    const api = fakeApi([view({ id: ORIGINAL }), rerun], { rerun: vi.fn(async () => submitted) });
    const plain = io();
    expect(await rerunCommand(ORIGINAL, false, api, plain)).toBe(0);
    expect(plain.out()).toBe(`queued ${RERUN} notebook-1-multiply (reproduces ${ORIGINAL}, seed 7)\n`);
    const json = { ...io(), stdout: { write: vi.fn(() => true) } as unknown as NodeJS.WriteStream };
    await rerunCommand(ORIGINAL, true, api, json, { wait: true, signal: new AbortController().signal });
    const printed = JSON.parse(String(vi.mocked(json.stdout.write).mock.calls.at(-1)?.[0])) as { runs: RunView[] };
    expect(printed.runs[0]).toMatchObject({ id: RERUN, status: 'SUCCEEDED', reproducesRunId: ORIGINAL, reproduction: { exact: false, firstDivergentEpoch: 4 } });
  });

  it('a rerun that did not succeed says so, and why, instead of a verdict', () => {
    expect(describeRerunOutcome({ id: RERUN, status: 'FAILED', reproduction: null, error: { kind: 'training', code: 'NAN_LOSS', message: 'the loss became NaN at epoch 3' } }, ORIGINAL)).toBe(
      `${RERUN} failed: the loss became NaN at epoch 3; no reproduction check of ${ORIGINAL}`,
    );
  });
});
