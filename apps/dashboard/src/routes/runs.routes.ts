import {
  ArtifactRepository,
  cancelRun,
  EpochMetricRepository,
  predictBodySchema,
  rerunRun,
  runIdParamsSchema,
  runListQuerySchema,
  RunRepository,
  type RunListResponse,
} from '@trainyard/experiments';
import type { ModelArtifacts } from '@trainyard/nn';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { HttpError } from '../http-errors.js';
import { toEpochList, toRunDetailView, toRunView } from '../run-views.js';

/** Runs: list, one, epochs, cancel, rerun, predict. */
export function runsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const runs = new RunRepository(deps.prisma);
  const artifacts = new ArtifactRepository(deps.prisma);
  const epochs = new EpochMetricRepository(deps.prisma);

  app.get('/api/runs', async (request): Promise<RunListResponse> => {
    const query = runListQuerySchema.parse(request.query);
    const page = await runs.list({
      ...(query.status ? { status: query.status } : {}),
      ...(query.name ? { name: query.name } : {}),
      ...(query.dataset ? { dataset: query.dataset } : {}),
      ...(query.sweep ? { sweepId: query.sweep } : {}),
      ...(query.ids ? { ids: query.ids } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      sort: query.sort,
      limit: query.limit,
    });
    return { items: page.items.map(toRunView), nextCursor: page.nextCursor };
  });

  app.get('/api/runs/:id', async (request) => {
    const { id } = runIdParamsSchema.parse(request.params);
    const [run, stored] = await Promise.all([runs.get(id), artifacts.list(id)]);
    if (!run) throw new HttpError(404, 'NOT_FOUND', `no run ${id}`);
    return toRunDetailView(run, stored);
  });

  app.get('/api/runs/:id/epochs', async (request) => {
    const { id } = runIdParamsSchema.parse(request.params);
    // The run page reads this every few seconds: one query while epochs come in. An epoch row
    // belongs to a run (foreign key), so only an empty list needs asking whether the run exists.
    const rows = await epochs.list(id);
    if (rows.length === 0 && !(await runs.exists(id))) throw new HttpError(404, 'NOT_FOUND', `no run ${id}`);
    return toEpochList(rows);
  });

  app.post('/api/runs/:id/cancel', async (request) => {
    const { id } = runIdParamsSchema.parse(request.params);
    return cancelRun(id, { prisma: deps.prisma, queue: deps.producer, bus: deps.bus });
  });

  app.post('/api/runs/:id/rerun', async (request, reply) => {
    const { id } = runIdParamsSchema.parse(request.params);
    const submitted = await rerunRun(id, { prisma: deps.prisma, queue: deps.producer, limits: deps.limits });
    return reply.code(201).send(submitted);
  });

  app.post('/api/runs/:id/predict', async (request) => {
    const { id } = runIdParamsSchema.parse(request.params);
    const { inputs } = predictBodySchema.parse(request.body);
    const run = await runs.get(id);
    if (!run) throw new HttpError(404, 'NOT_FOUND', `no run ${id}`);
    if (run.status !== 'SUCCEEDED') throw new HttpError(409, 'NOT_TRAINED', `run ${id} is ${run.status}; only a SUCCEEDED run has a model`);
    const features = run.env?.dataset.featureNames.length;
    inputs.forEach((row, i) => {
      if (features !== undefined && row.length !== features) {
        throw new HttpError(400, 'INVALID_REQUEST', `inputs[${i}]: must have ${features} values (${run.env?.dataset.featureNames.join(', ')}), got ${row.length}`);
      }
    });
    const predictions = await deps.models.predict(id, () => loadModel(artifacts, id), inputs);
    return { predictions };
  });
}

async function loadModel(artifacts: ArtifactRepository, runId: string) {
  const [topology, weights, preprocessor] = await Promise.all([
    artifacts.get(runId, 'MODEL_TOPOLOGY'),
    artifacts.get(runId, 'WEIGHTS'),
    artifacts.get(runId, 'PREPROCESSOR'),
  ]);
  if (!topology || !weights || !preprocessor) throw new HttpError(404, 'NOT_FOUND', `run ${runId} has no stored model`);
  const decode = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));
  return {
    model: { modelJson: decode(topology.bytes) as ModelArtifacts['modelJson'], weightData: weights.bytes },
    preprocessor: decode(preprocessor.bytes),
  };
}
