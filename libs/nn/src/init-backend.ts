import * as tf from '@tensorflow/tfjs';
import { registerWasmConvKernels } from './wasm-conv-kernels.js';
import { TrainingError } from './training-error.js';

/** What a user may ask for (`auto`: the fastest one installed). */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** tfjs, the backend package (tfjs-backend-wasm or tfjs-node, plus tensorflow for the native library) and node. */
  versions: Record<string, string>;
  /** Backends tried before `name` and why they failed ('auto' only). */
  unavailable: { name: BackendName; reason: string }[];
}

type Loaded = { ok: true; versions: Record<string, string> } | { ok: false; reason: string };

// The package is an optionalDependency that is missing wherever libtensorflow could not be
// downloaded; a variable specifier keeps TypeScript from requiring its types at build time.
const TFJS_NODE = '@tensorflow/tfjs-node';

/** What to do when the native backend was asked for and does not load. */
const NATIVE_HINT =
  `install it with "npm install ${TFJS_NODE}" (it fetches or builds TensorFlow's native library, which cannot be done on some machines), ` +
  'or choose auto (--backend auto, TRAINYARD_BACKEND=auto), which falls back to wasm, then cpu';

// Imports are attempted once per process: a failed native import does not get better on retry,
// and repeating a successful one would re-register the backend.
const loads = new Map<BackendName, Promise<Loaded>>();

function load(name: BackendName): Promise<Loaded> {
  let loaded = loads.get(name);
  if (!loaded) {
    loaded = loaders[name]();
    loads.set(name, loaded);
  }
  return loaded;
}

const loaders: Record<BackendName, () => Promise<Loaded>> = {
  cpu: () => Promise.resolve({ ok: true, versions: {} }),
  wasm: async () => {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      return { ok: true, versions: { 'tfjs-backend-wasm': wasm.version_wasm } };
    } catch (error) {
      return { ok: false, reason: `@tensorflow/tfjs-backend-wasm did not load: ${describe(error)}` };
    }
  },
  tensorflow: async () => {
    try {
      const native: unknown = await import(TFJS_NODE);
      return { ok: true, versions: nativeVersions(native) };
    } catch (error) {
      const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && describe(error).includes(TFJS_NODE);
      return { ok: false, reason: missing ? `${TFJS_NODE} is not installed` : `${TFJS_NODE} did not load: ${describe(error)}` };
    }
  },
};

/**
 * Selects the TensorFlow.js backend for this process. 'auto' takes the first of tensorflow
 * (native), wasm, cpu that works; an explicit choice that cannot load rejects with
 * BACKEND_UNAVAILABLE. Safe to call repeatedly, also with different choices.
 */
export async function initBackend(choice: BackendChoice): Promise<BackendInfo> {
  const candidates: BackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  const unavailable: BackendInfo['unavailable'] = [];
  for (const name of candidates) {
    const result = await activate(name);
    if (result.ok) {
      return {
        name,
        versions: { tfjs: tf.version.tfjs, ...result.versions, node: process.versions.node },
        unavailable,
      };
    }
    unavailable.push({ name, reason: result.reason });
  }
  const last = unavailable[unavailable.length - 1];
  const hint = choice === 'tensorflow' ? `; ${NATIVE_HINT}` : '';
  throw new TrainingError(
    'BACKEND_UNAVAILABLE',
    unavailable.length === 1 && last ? `backend ${last.name} is unavailable: ${last.reason}${hint}` : describeAll(unavailable),
  );
}

async function activate(name: BackendName): Promise<Loaded> {
  const loaded = await load(name);
  if (!loaded.ok) return loaded;
  let selected: boolean;
  try {
    selected = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    return { ok: false, reason: `tf.setBackend('${name}') failed: ${describe(error)}` };
  }
  if (!selected) return { ok: false, reason: `tf.setBackend('${name}') could not initialize the backend` };
  if (name === 'cpu') silenceNodeHint();
  if (name === 'wasm') registerWasmConvKernels();
  return loaded;
}

/**
 * The cpu backend prints an "install tfjs-node" banner on its first tensor write in Node.
 * We choose backends deliberately (and record the choice), so the banner is noise in
 * every log line of every run: trigger that first write here with the banner filtered out.
 */
function silenceNodeHint(): void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('tfjs-node')) return;
    warn(...args);
  };
  try {
    tf.scalar(0).dispose();
  } finally {
    console.warn = warn;
  }
}

function nativeVersions(native: unknown): Record<string, string> {
  const versions: Record<string, string> = {};
  const version = isRecord(native) ? native['version'] : undefined;
  if (isRecord(version)) {
    for (const [key, value] of Object.entries(version)) {
      if (typeof value === 'string') versions[key] = value;
    }
  }
  return versions;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Module-not-found messages carry a long require stack; the first line says it all.
  return message.split('\n')[0] ?? message;
}

function describeAll(unavailable: BackendInfo['unavailable']): string {
  return `no backend is available: ${unavailable.map((u) => `${u.name} (${u.reason})`).join('; ')}`;
}
