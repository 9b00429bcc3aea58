import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WEIGHTS_FILE, type ModelArtifacts, type ModelJson } from './model-artifacts.js';
import { TrainingError } from './training-error.js';

const MODEL_FILE = 'model.json';

/**
 * Writes model.json + weights.bin, the layout tfjs' file:// handler (tfjs-node) writes and
 * tf.loadLayersModel reads over http; done with node:fs because tfjs-node may be absent.
 */
export async function writeModelFiles(dir: string, artifacts: ModelArtifacts): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const modelPath = join(dir, MODEL_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  await writeFile(weightsPath, artifacts.weightData);
  // model.json last: a reader that sees it can rely on the weights being complete.
  await writeFile(modelPath, JSON.stringify(artifacts.modelJson));
  return [modelPath, weightsPath];
}

/** Reads a model.json and every weight file its manifest names, concatenated in manifest order. */
export async function readModelFiles(dir: string): Promise<ModelArtifacts> {
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as ModelJson;
  } catch (error) {
    throw new TrainingError('INVALID_SPEC', `cannot read ${join(dir, MODEL_FILE)}: ${messageOf(error)}`, { cause: error });
  }
  const paths = Array.isArray(modelJson.weightsManifest) ? modelJson.weightsManifest.flatMap((group) => group.paths) : [];
  const parts = await Promise.all(paths.map((path) => readFile(join(dir, path))));
  const weightData = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  return { modelJson, weightData };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
