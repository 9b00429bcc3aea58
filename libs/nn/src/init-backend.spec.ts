import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { initBackend } from './init-backend.js';
import { Network } from './network.js';
import { mulberry32 } from './testing/mulberry32.js';
import { TrainingError } from './training-error.js';

// One sequence: the cases share the process' tfjs engine, and the first cpu use is what prints the hint.
describe('initBackend', () => {
  it('selects cpu without printing the tfjs-node hint', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      const info = await initBackend('cpu');
      tf.tensor([1, 2, 3]).dispose();
      expect(info).toMatchObject({ name: 'cpu', unavailable: [] });
      expect(info.versions).toMatchObject({ tfjs: '4.22.0', node: process.versions.node });
      expect(tf.getBackend()).toBe('cpu');
      expect(warn.mock.calls.flat().join(' ')).not.toMatch(/tfjs-node/);
    } finally {
      warn.mockRestore();
    }
  });

  it('selects wasm, repeatedly', async () => {
    const first = await initBackend('wasm');
    const again = await initBackend('wasm');
    expect(first).toMatchObject({ name: 'wasm', versions: { 'tfjs-backend-wasm': '4.22.0' } });
    expect(again).toEqual(first);
    expect(tf.getBackend()).toBe('wasm');
  });

  it("'auto' takes the native backend if it loads, else wasm, and says why native is missing", async () => {
    const info = await initBackend('auto');
    if (info.name === 'tensorflow') {
      await expect(initBackend('tensorflow')).resolves.toMatchObject({ name: 'tensorflow' });
      return;
    }
    // This machine: @tensorflow/tfjs-node could not install.
    expect(info.name).toBe('wasm');
    expect(info.unavailable).toEqual([{ name: 'tensorflow', reason: expect.stringContaining('@tensorflow/tfjs-node') }]);
    const error = await initBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect(error).toMatchObject({ code: 'BACKEND_UNAVAILABLE', message: expect.stringContaining('tensorflow') });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('switches backends under a live network', async () => {
    await initBackend('cpu');
    const network = Network.build(
      { inputShape: [2], layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'dense', units: 1 }] },
      { optimizer: { name: 'sgd' }, loss: 'mse', metrics: [] },
      mulberry32(1),
    );
    try {
      const onCpu = network.predict([[1, 2]]);
      await initBackend('wasm');
      const onWasm = network.predict([[1, 2]]);
      expect(onWasm[0]?.[0]).toBeCloseTo(onCpu[0]?.[0] ?? NaN, 5);
      await network.fit({ x: [[1, 2]], y: [[1]] }, { epochs: 1, random: mulberry32(2) });
    } finally {
      network.dispose();
    }
  });
});
