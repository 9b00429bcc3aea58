import { cancelRun, EpochMetricRepository, predictRun, preprocessorStateSchema, rerunRun, RunRepository, StoreError, ArtifactRepository, type RunDetailView } from '@trainyard/experiments';

type PreprocessorStateView = NonNullable<RunDetailView['preprocessor']>;
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { registerRoute } from '../register-route.js';
import { toEpochList, toRunDetailView, toRunView } from '../run-views.js';

/** Runs: list, one, epochs, cancel, rerun, predict. */
export function runsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const runs = new RunRepository(deps.prisma);
  const artifacts = new ArtifactRepository(deps.prisma);
  const epochs = new EpochMetricRepository(deps.prisma);

  registerRoute(app, 'listRuns', async ({ query }) => {
    const page = await runs.list({
      ...(query.status ? { status: query.status } : {}),
      ...(query.name ? { name: query.name } : {}),
      ...(query.dataset ? { dataset: query.dataset } : {}),
      ...(query.sweep ? { sweepId: query.sweep } : {}),
      ...(query.ids ? { ids: query.ids } : {}),
      ...(query.idPrefix ? { idPrefix: query.idPrefix } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      sort: query.sort,
      limit: query.limit,
    });
    return { items: page.items.map(toRunView), nextCursor: page.nextCursor };
  });

  registerRoute(app, 'getRun', async ({ params: { id } }) => {
    const [run, stored] = await Promise.all([runs.get(id), artifacts.list(id)]);
    if (!run) throw new StoreError('NOT_FOUND', `no run ${id}`);
    const preprocessor = stored.some((a) => a.kind === 'PREPROCESSOR') ? await readPreprocessor(artifacts, id) : undefined;
    return toRunDetailView(run, stored, preprocessor);
  });

  registerRoute(app, 'listEpochs', async ({ params: { id } }) => {
    // The run page reads this every few seconds: one query while epochs come in. An epoch row
    // belongs to a run (foreign key), so only an empty list needs asking whether the run exists.
    const rows = await epochs.list(id);
    if (rows.length === 0 && !(await runs.exists(id))) throw new StoreError('NOT_FOUND', `no run ${id}`);
    return toEpochList(rows);
  });

  registerRoute(app, 'cancel', ({ params: { id } }) => cancelRun(id, { prisma: deps.prisma, queue: deps.producer, bus: deps.bus }));
  registerRoute(app, 'rerun', ({ params: { id } }) => rerunRun(id, { prisma: deps.prisma, queue: deps.producer, limits: deps.limits }));
  registerRoute(app, 'predict', ({ params: { id }, body }) => predictRun(id, body.inputs, { prisma: deps.prisma, models: deps.models }));
}

/** The fitted preprocessing saved with a run's model, as the run page lists it; undefined when it cannot be read. */
async function readPreprocessor(artifacts: ArtifactRepository, runId: string): Promise<PreprocessorStateView | undefined> {
  const artifact = await artifacts.get(runId, 'PREPROCESSOR');
  if (!artifact) return undefined;
  try {
    const parsed = preprocessorStateSchema.safeParse(JSON.parse(Buffer.from(artifact.bytes).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
