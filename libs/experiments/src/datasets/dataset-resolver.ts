import { BUILT_IN_DATASET_NAMES, type DefinitionIssue, type ExperimentDefinition, isRegisteredDataset, type RegisteredDatasetDefinition } from '@trainyard/contract';
import { DatasetRepository, type DatasetVersionWithProfile } from '../store/dataset.repository.js';
import type { DbClient } from '../store/prisma-client.js';
import { datasetLabel } from './dataset-views.js';
import { describeVersions } from './read-datasets.js';
import { profileIssues } from './table-check.js';

/** Registered names a message lists before "and N more". */
const NAMES_SHOWN = 5;

type Lookup =
  | { kind: 'found'; row: DatasetVersionWithProfile }
  | { kind: 'no-dataset'; names: string[]; total: number }
  | { kind: 'no-version'; versions: number[] }
  | { kind: 'no-bytes'; latest: DatasetVersionWithProfile };

function keyOf(spec: RegisteredDatasetDefinition): string {
  return `${spec.name}@${spec.version ?? ''}#${spec.sha256 ?? ''}`;
}

/**
 * The registered datasets a submission names, read once before anything is written: each
 * `name`, `name@version` or `name` + `sha256` resolved to one stored version. `issues` says
 * what does not match (an unknown name or version, other bytes, columns the table does not
 * have); `pin` writes the exact version and sha256 into the definition that is stored.
 */
export class DatasetResolver {
  private constructor(private readonly lookups: Map<string, Lookup>) {}

  static async load(db: DbClient, definitions: readonly ExperimentDefinition[]): Promise<DatasetResolver> {
    const repository = new DatasetRepository(db);
    const lookups = new Map<string, Lookup>();
    for (const def of definitions) {
      const spec = def.dataset;
      if (!isRegisteredDataset(spec) || lookups.has(keyOf(spec))) continue;
      lookups.set(keyOf(spec), await lookUp(repository, spec));
    }
    return new DatasetResolver(lookups);
  }

  /** Whether the submission names any registered dataset. */
  get empty(): boolean {
    return this.lookups.size === 0;
  }

  /** What is wrong with the definition's registered dataset (none for a built-in one). */
  issues(def: ExperimentDefinition): DefinitionIssue[] {
    const spec = def.dataset;
    if (!isRegisteredDataset(spec)) return [];
    const lookup = this.lookups.get(keyOf(spec));
    if (!lookup) return [{ path: 'dataset.name', message: 'was not looked up (a bug)' }];
    switch (lookup.kind) {
      case 'no-dataset': {
        const more = lookup.total > lookup.names.length ? ` and ${lookup.total - lookup.names.length} more` : '';
        const registered = lookup.total === 0 ? 'none is registered yet' : `registered: ${lookup.names.join(', ')}${more}`;
        return [
          {
            path: 'dataset.name',
            message: `no dataset named "${spec.name}" (${registered}; built in: ${BUILT_IN_DATASET_NAMES.filter((n) => n !== 'csv').join(', ')}); upload it with \`trainyard dataset add <file> --name ${spec.name}\``,
          },
        ];
      }
      case 'no-version':
        return [{ path: 'dataset.version', message: `${spec.name} has no version ${spec.version}; it has ${describeVersions(lookup.versions)}` }];
      case 'no-bytes':
        return [
          {
            path: 'dataset.sha256',
            message: `${spec.version === undefined ? spec.name : datasetLabel(spec.name, spec.version)} has no version with sha256 ${spec.sha256}; ${datasetLabel(spec.name, lookup.latest.version)} has ${lookup.latest.sha256}`,
          },
        ];
      case 'found':
        return profileIssues(def, lookup.row.profile, datasetLabel(lookup.row.name, lookup.row.version));
    }
  }

  /** The definition with its registered dataset's version and sha256 pinned, and that version's id; unchanged otherwise. */
  pin<D extends ExperimentDefinition>(def: D): { definition: D; datasetVersionId?: string } {
    const spec = def.dataset;
    if (!isRegisteredDataset(spec)) return { definition: def };
    const lookup = this.lookups.get(keyOf(spec));
    if (lookup?.kind !== 'found') throw new Error(`dataset ${spec.name} is not resolved: check issues() before pin()`);
    const { row } = lookup;
    return { definition: { ...def, dataset: { ...spec, name: row.name, version: row.version, sha256: row.sha256 } }, datasetVersionId: row.id };
  }
}

async function lookUp(repository: DatasetRepository, spec: RegisteredDatasetDefinition): Promise<Lookup> {
  const row = await repository.findVersion(spec.name, spec.version);
  if (row && (spec.sha256 === undefined || row.sha256 === spec.sha256)) return { kind: 'found', row };
  if (row && spec.sha256 !== undefined) {
    // `name` + `sha256` without a version: the version that has these bytes, if any.
    const dataset = spec.version === undefined ? await repository.findDataset(spec.name) : null;
    const bySha = dataset ? await repository.findVersionBySha(dataset.id, spec.sha256) : null;
    return bySha ? { kind: 'found', row: bySha } : { kind: 'no-bytes', latest: row };
  }
  const versions = await repository.versionNumbers(spec.name);
  if (versions.length > 0) return { kind: 'no-version', versions };
  return { kind: 'no-dataset', ...(await repository.someNames(NAMES_SHOWN)) };
}
