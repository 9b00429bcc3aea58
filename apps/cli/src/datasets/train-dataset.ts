import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { formatDatasetRef, isRegisteredDataset, type ExperimentDefinition } from '@trainyard/contract';
import { localFileProblem, resolveDataPath } from './local-file.js';

export type TrainDataset = { ok: true; def: ExperimentDefinition } | { ok: false; message: string };

/**
 * The dataset `trainyard train` reads on this machine: a CSV path is resolved against the
 * definition file's folder (errors then name the full path tried); a registered dataset lives
 * on a server, and train reads local files only, so the message says how to get it here or
 * to train it there.
 */
export async function trainDataset(def: ExperimentDefinition, definitionFile: string): Promise<TrainDataset> {
  const { dataset } = def;
  if (dataset.name === 'csv' && 'path' in dataset) {
    const path = resolveDataPath(definitionFile, dataset.path);
    const problem = await localFileProblem(path);
    if (problem) {
      const from = isAbsolute(dataset.path) ? '' : ` (a relative path is read from the definition's folder, ${dirname(resolve(definitionFile))})`;
      return { ok: false, message: `dataset.path: ${problem}${from}` };
    }
    return { ok: true, def: { ...def, dataset: { ...dataset, path } } };
  }
  if (isRegisteredDataset(dataset)) {
    const ref = formatDatasetRef({ name: dataset.name, ...(dataset.version !== undefined ? { version: dataset.version } : {}) });
    const local = `${dataset.name}.csv`;
    const out = relative(process.cwd(), join(dirname(definitionFile), local)) || local;
    return {
      ok: false,
      message: `dataset "${ref}" is a registered dataset and train reads local files: run "trainyard dataset get ${ref} --out ${out}" and set "dataset": {"name": "csv", "path": "${local}", ...}, or train it on the workers with "trainyard submit ${definitionFile}"`,
    };
  }
  return { ok: true, def };
}
