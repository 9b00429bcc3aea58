import { ArtifactRepository, runIdParamsSchema, type ArtifactKindName } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { HttpError } from '../http-errors.js';

/** The files of an exported model, by the names model.json's weightsManifest uses. */
const FILES: Record<string, { kind: ArtifactKindName; type: string }> = {
  'model.json': { kind: 'MODEL_TOPOLOGY', type: 'application/json' },
  'weights.bin': { kind: 'WEIGHTS', type: 'application/octet-stream' },
  'preprocessor.json': { kind: 'PREPROCESSOR', type: 'application/json' },
};
const fileParams = runIdParamsSchema.extend({ file: z.enum(Object.keys(FILES) as [string, ...string[]]) });

/**
 * GET /api/runs/:id/model/model.json (+ weights.bin, preprocessor.json): a standard
 * TensorFlow.js layers model, so `tf.loadLayersModel(url)` in any tfjs program loads it.
 */
export function modelRoutes(app: FastifyInstance, deps: AppDeps): void {
  const artifacts = new ArtifactRepository(deps.prisma);
  app.get('/api/runs/:id/model/:file', async (request, reply) => {
    const { id, file } = fileParams.parse(request.params);
    const spec = FILES[file];
    if (!spec) throw new HttpError(404, 'NOT_FOUND', `no file ${file}`);
    const artifact = await artifacts.get(id, spec.kind);
    if (!artifact) throw new HttpError(404, 'NOT_FOUND', `run ${id} has no ${file} (only SUCCEEDED runs have a model)`);
    return reply
      .header('content-type', spec.type)
      .header('etag', `"${artifact.sha256}"`)
      .header('content-disposition', `attachment; filename="${file}"`)
      .send(Buffer.from(artifact.bytes));
  });
}
