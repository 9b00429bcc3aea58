import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompileSpec } from './compile-spec.js';
import { initBackend } from './init-backend.js';
import type { ModelSpec } from './model-spec.js';
import { Network } from './network.js';
import { mulberry32 } from './testing/mulberry32.js';

const run = promisify(execFile);
const workspaceRoot = resolve(import.meta.dirname, '../../..');
const spec: ModelSpec = {
  inputShape: [3],
  layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'batchNormalization' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 2 }],
};
const compile: CompileSpec = { optimizer: { name: 'adam' }, loss: 'huber', metrics: ['mae'] };
const x = [
  [0.1, -0.2, 0.3],
  [1, 2, 3],
  [-1.5, 0.5, 0],
];

let dir: string;
let network: Network;

beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'nn-save-'));
  const random = mulberry32(1);
  network = Network.build(spec, compile, random);
  // Train a little so batch-norm statistics and weights are not the initial ones.
  await network.fit({ x, y: x.map((r) => [r[0] ?? 0, r[1] ?? 0]) }, { epochs: 3, batchSize: 2, random });
});

afterAll(async () => {
  network.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('save and load', () => {
  it('writes a standard tfjs layers model that a plain tfjs program loads over http', async () => {
    const paths = await network.save(dir);
    expect(paths).toEqual([join(dir, 'model.json'), join(dir, 'weights.bin')]);
    const modelJson = JSON.parse(await readFile(paths[0] ?? '', 'utf8')) as Record<string, unknown>;
    expect(modelJson).toMatchObject({ format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'] }], convertedBy: null });
    expect(modelJson['generatedBy']).toMatch(/^TensorFlow\.js tfjs-layers v4\.22\.0$/);

    const server = await serve(dir);
    try {
      const { port } = server.address() as AddressInfo;
      const program = `
        import * as tf from '@tensorflow/tfjs';
        const model = await tf.loadLayersModel('http://127.0.0.1:${port}/model.json');
        console.log(JSON.stringify(model.predict(tf.tensor2d(${JSON.stringify(x)})).arraySync()));`;
      // Async child: the server answering it runs on this process's event loop.
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', program], { cwd: workspaceRoot });
      const fromTfjs = JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as number[][];
      const ours = network.predict(x);
      expect(fromTfjs).toHaveLength(ours.length);
      fromTfjs.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(ours[i]?.[j] ?? NaN, 6)));
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('round-trips through Network.load with the compile spec', async () => {
    await network.save(dir);
    const loaded = await Network.load(dir);
    try {
      expect(loaded.predict(x)).toEqual(network.predict(x));
      expect(loaded.summary()).toEqual(network.summary());
      expect(loaded.compileSpec).toEqual(compile);
      const y = x.map((r) => [r[0] ?? 0, r[1] ?? 0]);
      expect(loaded.evaluate(x, y)).toEqual(network.evaluate(x, y));
      const random = mulberry32(2);
      expect((await loaded.fit({ x, y }, { epochs: 1, random })).history).toHaveLength(1);
    } finally {
      loaded.dispose();
    }
  });

  it('round-trips through toArtifacts and fromArtifacts', async () => {
    const artifacts = await network.toArtifacts();
    const copy = await Network.fromArtifacts(structuredClone(artifacts));
    try {
      expect(copy.predict(x)).toEqual(network.predict(x));
      expect(copy.weights()).toEqual(network.weights());
      expect((await copy.toArtifacts()).weightData).toEqual(artifacts.weightData);
    } finally {
      copy.dispose();
    }
  });
});

function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const name = (request.url ?? '/').slice(1);
    if (name !== 'model.json' && name !== 'weights.bin') {
      response.writeHead(404).end();
      return;
    }
    readFile(join(root, name)).then(
      (body) => response.writeHead(200, { 'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready(server)));
}
