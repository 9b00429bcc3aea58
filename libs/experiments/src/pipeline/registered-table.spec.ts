import { readFile } from 'node:fs/promises';
import { makeTempDir } from '@trainyard/data/testing';
import { sha256Hex } from '@trainyard/data';
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '@trainyard/contract';
import { runPipeline, withSeed } from './run-pipeline.js';
import type { RunEvent } from './run-events.js';
import type { RunOptions } from './run-pipeline.js';

const csv = new URL('../../../../examples/data/apartments.csv', import.meta.url);

const definition = (dataset: object) =>
  withSeed(
    parseDefinition({
      name: 'registered',
      seed: 1,
      dataset,
      split: { test: 0.2 },
      model: { layers: [{ type: 'dense', units: 1 }] },
      optimizer: 'adam',
      loss: 'mse',
      epochs: 1,
      predict: [[50, 2, 1, null, 'Harbor', 'no', 'gas']],
    }),
  );

async function run(def: ReturnType<typeof definition>, options: Partial<RunOptions>): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const dataHome = await makeTempDir('registered-');
  for await (const event of runPipeline(def, { backend: 'cpu', dataHome, ...options })) events.push(event);
  return events;
}

describe('registered table datasets', () => {
  it('trains on the bytes openRegistered gives, checked against the pinned sha256', async () => {
    const bytes = new Uint8Array(await readFile(csv));
    const opened: string[] = [];
    const openRegistered = async (spec: { name: string; version?: number }) => {
      opened.push(`${spec.name}@${spec.version}`);
      return bytes;
    };
    const pinned = definition({ name: 'apartments@3', sha256: sha256Hex(bytes), target: 'price_k' });
    const events = await run(pinned, { openRegistered, localFiles: false });
    const last = events.at(-1);
    expect(last?.type).toBe('done');
    expect(opened).toEqual(['apartments@3']);
    const start = events[0];
    expect(start?.type === 'start' && start.dataset).toMatchObject({ name: 'apartments', hash: sha256Hex(bytes), rows: 2000 });
    expect(last?.type === 'done' && last.result.predictions[0]?.input).toEqual([50, 2, 1, null, 'Harbor', 'no', 'gas']);

    const wrong = await run(definition({ name: 'apartments@3', sha256: '0'.repeat(64), target: 'price_k' }), { openRegistered });
    expect(wrong.at(-1)?.type === 'failed' && wrong.at(-1)).toMatchObject({ error: { code: 'CHECKSUM_MISMATCH' } });
  });

  it('localFiles: false still refuses a csv path', async () => {
    const events = await run(definition({ name: 'csv', path: '/etc/passwd', target: 'x' }), { localFiles: false });
    expect(events.at(-1)).toMatchObject({ type: 'failed', error: { kind: 'definition' } });
  });
});
