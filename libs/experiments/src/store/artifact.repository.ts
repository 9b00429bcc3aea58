import type { DbClient } from './prisma-client.js';
import { storeCall } from './store-error.js';
import type { ArtifactContent, ArtifactInfo, ArtifactKindName } from './store-types.js';

/** Reads a run's stored model files; they are written by the ledger when the run succeeds. */
export class ArtifactRepository {
  constructor(private readonly db: DbClient) {}

  get(runId: string, kind: ArtifactKindName): Promise<ArtifactContent | null> {
    return storeCall('reading an artifact', () =>
      this.db.artifact.findUnique({ where: { runId_kind: { runId, kind } }, select: { bytes: true, sha256: true, size: true } }),
    );
  }

  list(runId: string): Promise<ArtifactInfo[]> {
    return storeCall('listing artifacts', () =>
      this.db.artifact.findMany({ where: { runId }, orderBy: { kind: 'asc' }, select: { kind: true, size: true, sha256: true } }),
    );
  }
}
