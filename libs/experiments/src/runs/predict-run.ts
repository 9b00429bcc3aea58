import type { Cell, PredictResponse } from '@trainyard/contract';
import type { ModelArtifacts } from '@trainyard/nn';
import { ArtifactRepository } from '../store/artifact.repository.js';
import type { PrismaClient } from '../store/prisma-client.js';
import { RunRepository } from '../store/run.repository.js';
import { StoreError } from '../store/store-error.js';
import type { ModelCache } from './model-cache.js';

export interface PredictDeps {
  prisma: PrismaClient;
  /** Trained models kept loaded between predictions. */
  models: ModelCache;
}

/**
 * Predicts raw input rows with a SUCCEEDED run's model and fitted preprocessing: NOT_FOUND for
 * no such run or model, CONFLICT for a run that has not succeeded, INVALID (naming the row)
 * for a row of the wrong width.
 */
export async function predictRun(runId: string, inputs: Cell[][], deps: PredictDeps): Promise<PredictResponse> {
  const run = await new RunRepository(deps.prisma).get(runId);
  if (!run) throw new StoreError('NOT_FOUND', `no run ${runId}`);
  if (run.status !== 'SUCCEEDED') throw new StoreError('CONFLICT', `run ${runId} is ${run.status}; only a SUCCEEDED run has a model`);
  const features = run.env?.dataset.featureNames;
  inputs.forEach((row, i) => {
    if (features && row.length !== features.length) {
      throw new StoreError('INVALID', `inputs[${i}]: must have ${features.length} values (${features.join(', ')}), got ${row.length}`);
    }
  });
  const artifacts = new ArtifactRepository(deps.prisma);
  const predictions = await deps.models.predict(runId, () => loadModel(artifacts, runId), inputs);
  return { predictions };
}

async function loadModel(artifacts: ArtifactRepository, runId: string): Promise<{ model: ModelArtifacts; preprocessor: unknown }> {
  const [topology, weights, preprocessor] = await Promise.all([
    artifacts.get(runId, 'MODEL_TOPOLOGY'),
    artifacts.get(runId, 'WEIGHTS'),
    artifacts.get(runId, 'PREPROCESSOR'),
  ]);
  if (!topology || !weights || !preprocessor) throw new StoreError('NOT_FOUND', `run ${runId} has no stored model`);
  const decode = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));
  return {
    model: { modelJson: decode(topology.bytes) as ModelArtifacts['modelJson'], weightData: weights.bytes },
    preprocessor: decode(preprocessor.bytes),
  };
}
