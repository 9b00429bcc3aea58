import * as tf from '@tensorflow/tfjs';
import { AUGMENTATION_CLASS_NAMES } from './augmentation-layers.js';
import type { CompileSpec } from './compile-spec.js';
import { TrainingError } from './training-error.js';

/** File name of the weights in the manifest; save() writes exactly this file next to model.json. */
export const WEIGHTS_FILE = 'weights.bin';

/** The content of a tfjs layers-format model.json, as tfjs' file and http handlers write it. */
export interface ModelJson {
  /** Keras model config (class_name Sequential, config.layers ...). */
  modelTopology: Record<string, unknown>;
  weightsManifest: tf.io.WeightsManifestConfig;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  /** trainyard keeps the compile spec here so a loaded model can train and evaluate again; tfjs ignores it. */
  userDefinedMetadata?: { trainyard?: { compile?: CompileSpec } } & Record<string, unknown>;
}

export interface ModelArtifacts {
  modelJson: ModelJson;
  /** The bytes of weights.bin. */
  weightData: Uint8Array;
}

/**
 * Serializes through tfjs' own save path (withSaveHandler), so the result is what tfjs would
 * write to disk, less the augmentation layers (see inferenceTopology).
 */
export async function modelToArtifacts(model: tf.LayersModel): Promise<ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!saved?.weightSpecs || saved.weightData === undefined || saved.modelTopology instanceof ArrayBuffer) {
    throw new Error('tfjs save produced no layers-model topology and weights');
  }
  const modelJson: ModelJson = {
    modelTopology: inferenceTopology((saved.modelTopology ?? {}) as Record<string, unknown>),
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: saved.weightSpecs }],
    format: 'layers-model',
    generatedBy: saved.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: saved.convertedBy ?? null,
    ...(saved.userDefinedMetadata ? { userDefinedMetadata: saved.userDefinedMetadata as ModelJson['userDefinedMetadata'] } : {}),
  };
  return { modelJson, weightData: new Uint8Array(tf.io.CompositeArrayBuffer.join(saved.weightData)) };
}

/** Loads artifacts with tf.loadLayersModel, the same path a plain tfjs program takes. */
export async function modelFromArtifacts(artifacts: ModelArtifacts): Promise<tf.LayersModel> {
  const { modelJson, weightData } = artifacts;
  if (!isRecord(modelJson) || !isRecord(modelJson.modelTopology) || !Array.isArray(modelJson.weightsManifest)) {
    throw new TrainingError('INVALID_SPEC', 'model.json needs a modelTopology object and a weightsManifest list');
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  // Copy into a standalone ArrayBuffer: the Uint8Array may be a view into a larger buffer (e.g. a Node Buffer pool).
  const buffer = weightData.slice().buffer;
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs,
        weightData: buffer,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
        ...(modelJson.userDefinedMetadata ? { userDefinedMetadata: modelJson.userDefinedMetadata } : {}),
      }),
    );
  } catch (error) {
    throw new TrainingError('INVALID_SPEC', `model artifacts did not load: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * The saved model is the inference model: augmentation layers (identity outside training,
 * no weights) are left out, so a plain tfjs program loads it without trainyard's classes and
 * predicts the same. A model loaded back therefore trains on without augmentation. When the
 * first layer goes, the next one takes its input shape.
 */
function inferenceTopology(topology: Record<string, unknown>): Record<string, unknown> {
  const config = topology['config'];
  if (topology['class_name'] !== 'Sequential' || !isRecord(config) || !Array.isArray(config['layers'])) return topology;
  const layers = config['layers'] as unknown[];
  const isAugmentation = (layer: unknown): boolean => isRecord(layer) && AUGMENTATION_CLASS_NAMES.has(String(layer['class_name']));
  if (!layers.some(isAugmentation)) return topology;
  const inputShape = layers.map((layer) => (isRecord(layer) && isRecord(layer['config']) ? layer['config']['batch_input_shape'] : undefined)).find(Boolean);
  const kept = layers.filter((layer) => !isAugmentation(layer)).map((layer) => structuredClone(layer) as Record<string, unknown>);
  const first = kept[0];
  if (first && isRecord(first['config']) && inputShape !== undefined) first['config']['batch_input_shape'] = inputShape;
  return { ...topology, config: { ...config, layers: kept } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
