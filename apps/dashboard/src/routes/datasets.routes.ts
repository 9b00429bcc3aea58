import { Readable } from 'node:stream';
import { addDatasetVersion, deleteDatasetVersion, getDataset, getDatasetVersion, listDatasets, readDatasetFile } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { registerRoute } from '../register-route.js';

/**
 * Registered datasets: the list, one dataset's versions, an upload (streamed into the
 * database, a new version or the one that has these bytes), one version's profile, its exact
 * bytes, and deleting a version no run trained on.
 */
export function datasetsRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerRoute(app, 'listDatasets', ({ query }) => listDatasets(deps.prisma, query));
  registerRoute(app, 'getDataset', ({ params: { name } }) => getDataset(deps.prisma, name));

  registerRoute(
    app,
    'addDatasetVersion',
    ({ params: { name }, query: { filename }, upload }) =>
      addDatasetVersion(deps.prisma, { name, ...(filename !== undefined ? { filename } : {}), body: upload, maxBytes: deps.maxUploadBytes }),
    { maxUploadBytes: deps.maxUploadBytes },
  );

  registerRoute(app, 'getDatasetVersion', ({ params: { name, version } }) => getDatasetVersion(deps.prisma, name, version));

  registerRoute(app, 'datasetFile', async ({ params: { name, version } }, _request, reply) => {
    const file = await readDatasetFile(deps.prisma, name, version);
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', String(file.size))
      .header('etag', `"${file.sha256}"`)
      .header('content-disposition', contentDisposition(file.filename ?? `${name}-${version}.csv`))
      .send(Readable.from(file.body));
  });

  registerRoute(app, 'deleteDatasetVersion', async ({ params: { name, version } }, _request, reply) => {
    await deleteDatasetVersion(deps.prisma, name, version);
    return reply.code(204).send();
  });
}

/**
 * `attachment` with the file's name: a plain ASCII fallback (quotes, backslashes and control
 * characters replaced) and the exact name in RFC 5987 form for browsers that read it.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
