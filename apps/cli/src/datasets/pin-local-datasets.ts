import { isSweepInput, type DatasetVersionView, type JsonValue } from '@trainyard/contract';
import type { ApiClient } from '../api-client.js';
import type { ProgressStream } from '../output/byte-progress.js';
import { datasetNameFromPath, datasetNameProblem } from './dataset-name.js';
import { hashFile, localFileProblem, resolveDataPath } from './local-file.js';
import { uploadFile } from './upload-file.js';

/** A local file of a definition, and the registered version that now stands for it. */
export interface PinnedDataset {
  /** The field it was in: `dataset` or `base.dataset`. */
  field: string;
  /** The path as the definition wrote it, and resolved against the definition's folder. */
  path: string;
  resolvedPath: string;
  name: string;
  version: number;
  sha256: string;
  /** Were the bytes sent now (false: a version with them was there already)? */
  uploaded: boolean;
}

/** A local dataset that cannot be uploaded: the field and why (a missing file names its full path). */
export class LocalDatasetError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'LocalDatasetError';
  }
}

export interface PinOptions {
  /** `--dataset-name`: the dataset the file becomes a version of (default: from the file's name). */
  datasetName?: string;
  /** Where an upload's bytes sent / total are drawn (a terminal). */
  progress?: ProgressStream;
}

/** What pinning asks the API: versions by hash, and an upload. */
export type DatasetApi = Pick<ApiClient, 'listDatasets' | 'getDataset' | 'addDatasetVersion' | 'reachable'>;

type JsonObject = { [key: string]: JsonValue };

/**
 * A definition or sweep as `submit` sends it: each `{"name": "csv", "path": ...}` dataset
 * (a definition's, or a sweep's base's) is uploaded unless the server has its bytes under
 * that name already, and replaced by the version it is: `{name, version, sha256, target,
 * features, task}`. A server never reads a path, so this is how a local file reaches the
 * workers.
 */
export async function pinLocalDatasets(body: JsonValue, definitionFile: string, options: PinOptions, api: DatasetApi): Promise<{ body: JsonValue; pinned: PinnedDataset[] }> {
  if (!isObject(body)) return { body, pinned: [] };
  const sweep = isSweepInput(body) && isObject(body.base);
  const holder = sweep ? (body.base as JsonObject) : body;
  const field = sweep ? 'base.dataset' : 'dataset';
  const dataset = holder.dataset;
  if (!isObject(dataset) || dataset.name !== 'csv' || typeof dataset.path !== 'string') return { body, pinned: [] };

  const pinned = await pinFile(dataset.path, field, definitionFile, options, api);
  const { name: _csv, path: _path, ...table } = dataset;
  const registered: JsonObject = { name: pinned.name, version: pinned.version, sha256: pinned.sha256, ...table };
  const rewritten = sweep ? { ...body, base: { ...holder, dataset: registered } } : { ...body, dataset: registered };
  return { body: rewritten, pinned: [pinned] };
}

async function pinFile(path: string, field: string, definitionFile: string, options: PinOptions, api: DatasetApi): Promise<PinnedDataset> {
  const resolvedPath = resolveDataPath(definitionFile, path);
  const problem = await localFileProblem(resolvedPath);
  if (problem) throw new LocalDatasetError(`${field}.path`, problem);
  const name = options.datasetName ?? datasetNameFromPath(resolvedPath);
  const nameProblem = datasetNameProblem(name);
  if (nameProblem) throw new LocalDatasetError(`${field}.path`, `${nameProblem} (--dataset-name)`);

  const { sha256, size } = await hashFile(resolvedPath);
  const found = await findVersion(api, name, sha256);
  if (found) return { field, path, resolvedPath, name, version: found.version, sha256, uploaded: false };
  const uploaded = await uploadFile(api, name, resolvedPath, size, options.progress);
  return { field, path, resolvedPath, name, version: uploaded.version.version, sha256: uploaded.version.sha256, uploaded: uploaded.created };
}

/** The version of `name` with these bytes, if the server has one: asked by hash, so nothing is sent. */
export async function findVersion(api: DatasetApi, name: string, sha256: string): Promise<DatasetVersionView | undefined> {
  const { items } = await api.listDatasets({ sha256 });
  const dataset = items.find((d) => d.name === name);
  if (!dataset) return undefined;
  if (dataset.latest.sha256 === sha256) return dataset.latest;
  return (await api.getDataset(name)).versions.find((v) => v.sha256 === sha256);
}

/** `uploaded data/apartments.csv as apartments@1` or `data/apartments.csv is apartments@1 already`. */
export function describePinned(pinned: PinnedDataset): string {
  const ref = `${pinned.name}@${pinned.version}`;
  return pinned.uploaded ? `uploaded ${pinned.path} as ${ref}` : `${pinned.path} is ${ref} already`;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
