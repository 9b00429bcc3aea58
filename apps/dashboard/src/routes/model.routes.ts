import { ArtifactRepository, MODEL_FILES, StoreError } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { registerRoute } from '../register-route.js';

/**
 * GET /api/runs/:id/model/model.json (+ weights.bin, preprocessor.json): a standard
 * TensorFlow.js layers model, so `tf.loadLayersModel(url)` in any tfjs program loads it.
 */
export function modelRoutes(app: FastifyInstance, deps: AppDeps): void {
  const artifacts = new ArtifactRepository(deps.prisma);
  registerRoute(app, 'modelFile', async ({ params: { id, file } }, _request, reply) => {
    const spec = MODEL_FILES[file as keyof typeof MODEL_FILES];
    const artifact = await artifacts.get(id, spec.kind);
    if (!artifact) throw new StoreError('NOT_FOUND', `run ${id} has no ${file} (only SUCCEEDED runs have a model)`);
    return reply
      .header('content-type', spec.type)
      .header('etag', `"${artifact.sha256}"`)
      .header('content-disposition', `attachment; filename="${file}"`)
      .send(Buffer.from(artifact.bytes));
  });
}
