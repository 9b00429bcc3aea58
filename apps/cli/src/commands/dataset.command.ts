import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatDatasetRef, parseDatasetRef, type DatasetRef } from '@trainyard/contract';
import { ApiError, type ApiClient } from '../api-client.js';
import { EXIT, printJson, type CliIo } from '../cli-io.js';
import { datasetNameFromPath, datasetNameProblem } from '../datasets/dataset-name.js';
import { copyHashed, downloadVerified } from '../datasets/download-file.js';
import { localFileProblem } from '../datasets/local-file.js';
import { uploadFile } from '../datasets/upload-file.js';
import { datasetsTable, describeUpload, describeVersion, refOf, versionsTable } from '../output/dataset-report.js';
import { formatBytes } from '../output/format.js';

/** Rows of a version's preview that `show` prints (--json has all the profile keeps). */
const SHOWN_ROWS = 10;

export const DATASET_HELP = {
  add: `trainyard dataset add FILE [--name NAME] [--json]
  Uploads a table (CSV or TSV with a header row; the delimiter is read from the header) or a
  folder of images (a .zip, .tar or .tar.gz of one folder per class holding PNG or JPEG
  files, as Keras' image_dataset_from_directory reads) as a version of the dataset NAME
  (default: the file's name, e.g. apartments.csv -> apartments, flowers.zip -> flowers).
  The same bytes again are the same version; new bytes make the next version. Prints the
  version and each column's inferred type, missing cells and statistics, or each class's
  image count. Every image is decoded at upload: a corrupt one is named then.
`,
  ls: `trainyard dataset ls [--json]
  The registered datasets: latest version, versions, rows, columns, size, runs that used them.
`,
  show: `trainyard dataset show NAME[@VERSION] [--json]
  NAME: the dataset's versions, newest first. NAME@VERSION: the version's columns (inferred
  type, missing cells, statistics or top categories) and its first rows, or its classes.
`,
  get: `trainyard dataset get NAME[@VERSION] [--out FILE]
  The version's exact bytes (NAME alone: the latest version), checked against its sha256 as
  they are written; FILE is written only once they match. Without --out, to stdout.
`,
  rm: `trainyard dataset rm NAME@VERSION [--json]
  Deletes a version no run trained on (a run's version stays so the run can be rerun).
`,
} as const;

export type DatasetAction = keyof typeof DATASET_HELP;

export const DATASET_USAGE = `Datasets: your own tables, stored by the API as versioned records every worker reaches.

${Object.values(DATASET_HELP).join('\n')}
A definition names one as "dataset": {"name": "apartments", "target": "price"} (the latest
version when submitted, pinned on the run) or "apartments@2"; a folder of images as
{"name": "flowers", "image": {"height": 64, "width": 64, "channels": 3}} (the size every
image is resized to; channels 1 for grayscale). "trainyard submit" uploads a
local {"name": "csv", "path": ...} dataset for you (once per content) and names the version.
`;

export function isDatasetAction(action: string | undefined): action is DatasetAction {
  return action !== undefined && Object.hasOwn(DATASET_HELP, action);
}

export interface DatasetOptions {
  /** The first argument after the action: a FILE (add) or NAME[@VERSION]. */
  arg: string | undefined;
  name?: string;
  out?: string;
  json: boolean;
}

/** `trainyard dataset ACTION ...`. */
export async function datasetCommand(action: DatasetAction, options: DatasetOptions, api: ApiClient, io: CliIo): Promise<number> {
  if (action === 'ls') return listDatasets(options.json, api, io);
  if (options.arg === undefined) {
    const what = action === 'add' ? 'a FILE' : action === 'rm' ? 'a dataset NAME@VERSION' : 'a dataset NAME or NAME@VERSION';
    return usage(io, action, `dataset ${action} needs ${what}`);
  }
  if (action === 'add') return addDataset(options.arg, options, api, io);
  const ref = parseDatasetRef(options.arg);
  if (!ref) return usage(io, action, `"${options.arg}" is not a dataset name or NAME@VERSION (lowercase letters, digits, _, - or ., starting with a letter; e.g. housing@2)`);
  if (action === 'show') return showDataset(ref, options.json, api, io);
  if (action === 'get') return getDataset(ref, options, api, io);
  if (ref.version === undefined) return usage(io, action, `dataset rm needs a version: ${ref.name}@1, ${ref.name}@2, ... ("trainyard dataset show ${ref.name}" lists them)`);
  return removeVersion(ref.name, ref.version, options.json, api, io);
}

async function addDataset(file: string, options: DatasetOptions, api: ApiClient, io: CliIo): Promise<number> {
  const path = resolve(file);
  const name = options.name ?? datasetNameFromPath(path);
  const nameProblem = datasetNameProblem(name);
  if (nameProblem) return usage(io, 'add', `--name: ${nameProblem}`);
  const fileProblem = await localFileProblem(path);
  if (fileProblem) {
    io.stderr.write(`trainyard: ${fileProblem}\n`);
    return EXIT.usage;
  }
  const { size } = await stat(path);
  const uploaded = await uploadFile(api, name, path, size, io.stderr);
  if (options.json) printJson(io, uploaded);
  else io.stdout.write(`${describeUpload(uploaded)}\n`);
  return EXIT.ok;
}

async function listDatasets(json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  const page = await api.listDatasets({ limit: '200' });
  if (json) printJson(io, page);
  else io.stdout.write(page.items.length > 0 ? `${datasetsTable(page.items)}\n` : 'No datasets yet: add one with "trainyard dataset add FILE --name NAME".\n');
  return EXIT.ok;
}

async function showDataset(ref: DatasetRef, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  if (ref.version === undefined) {
    const dataset = await api.getDataset(ref.name);
    if (json) printJson(io, dataset);
    else io.stdout.write(`${dataset.name}  created ${dataset.createdAt}\n\n${versionsTable(dataset.versions)}\n`);
    return EXIT.ok;
  }
  const version = await api.getDatasetVersion(ref.name, ref.version);
  if (json) printJson(io, version);
  else io.stdout.write(`${describeVersion(version, SHOWN_ROWS)}\n`);
  return EXIT.ok;
}

async function getDataset(ref: DatasetRef, options: DatasetOptions, api: ApiClient, io: CliIo): Promise<number> {
  if (options.json && options.out === undefined) return usage(io, 'get', '--json needs --out FILE (without it, the bytes go to stdout)');
  const version = ref.version ?? (await latestVersion(ref.name, api));
  const detail = await api.getDatasetVersion(ref.name, version);
  const response = await api.datasetFile(ref.name, version);
  if (!response.body) throw new ApiError(`the API sent no bytes for ${refOf(detail)}`, 502);
  if (options.out === undefined) {
    const copied = await copyHashed(response.body, io.stdout);
    if (copied.sha256 === detail.sha256) return EXIT.ok;
    io.stderr.write(`trainyard: the bytes written have sha256 ${copied.sha256}, not ${refOf(detail)}'s ${detail.sha256}: discard them\n`);
    return EXIT.failed;
  }
  const out = resolve(options.out);
  const copied = await downloadVerified(response.body, out, detail.sha256);
  if (options.json) printJson(io, { name: detail.name, version: detail.version, sha256: copied.sha256, size: copied.size, out });
  else io.stdout.write(`${refOf(detail)} -> ${out} (${formatBytes(copied.size)}, sha256 ${copied.sha256.slice(0, 12)}… verified)\n`);
  return EXIT.ok;
}

async function removeVersion(name: string, version: number, json: boolean, api: ApiClient, io: CliIo): Promise<number> {
  const ref = formatDatasetRef({ name, version });
  try {
    await api.deleteDatasetVersion(name, version);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
    const runs = await api.getDatasetVersion(name, version).then((v) => v.runs, () => undefined);
    const used = runs === undefined ? 'runs trained on it' : `${runs} run${runs === 1 ? '' : 's'} trained on it`;
    io.stderr.write(`trainyard: ${ref} cannot be deleted: ${used}, and a run keeps the exact bytes it trained on so that it can be rerun. The version stays; a new upload under ${name} makes the next version.\n`);
    return EXIT.usage;
  }
  if (json) printJson(io, { deleted: { name, version } });
  else io.stdout.write(`deleted ${ref}\n`);
  return EXIT.ok;
}

async function latestVersion(name: string, api: ApiClient): Promise<number> {
  const [latest] = (await api.getDataset(name)).versions;
  if (!latest) throw new ApiError(`dataset ${name} has no versions`, 404);
  return latest.version;
}

function usage(io: CliIo, action: DatasetAction, message: string): number {
  io.stderr.write(`trainyard: ${message}\n\nUsage: ${DATASET_HELP[action]}`);
  return EXIT.usage;
}
