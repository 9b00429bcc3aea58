import { createRequire } from 'node:module';
import { initBackend } from '@trainyard/nn';
import { describe, expect, it } from 'vitest';

const nativeInstalled = ((): boolean => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

describe('--backend tensorflow without @tensorflow/tfjs-node', () => {
  it.skipIf(nativeInstalled)('says how to install it, that it may not build here, and what auto falls back to', async () => {
    const error = await initBackend('tensorflow').catch((e: unknown) => e as Error);
    expect(error.message).toBe(
      'backend tensorflow is unavailable: @tensorflow/tfjs-node is not installed; install it with "npm install @tensorflow/tfjs-node" ' +
        "(it fetches or builds TensorFlow's native library, which cannot be done on some machines), or choose auto (--backend auto, TRAINYARD_BACKEND=auto), which falls back to wasm, then cpu",
    );
    // auto records the reason without the advice, and takes wasm.
    const auto = await initBackend('auto');
    expect(auto.name).toBe('wasm');
    expect(auto.unavailable).toEqual([{ name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' }]);
  });
});
