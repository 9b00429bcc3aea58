/*
 * How a definition names a registered dataset: `housing` (its latest version at submission) or
 * `housing@2`. The submission pins the exact version and its sha256 on the stored definition,
 * so a run (and a rerun) trains on the same bytes even after new versions exist.
 */

/** Names of the datasets trainyard brings; a registered dataset cannot take one. */
export const BUILT_IN_DATASET_NAMES = ['multiply', 'sum', 'california_housing', 'iris', 'digits', 'mnist', 'fashion_mnist', 'csv'] as const;

/** A registered dataset's name: lowercase letters, digits, `_`, `-` and `.`, starting with a letter. */
export const DATASET_NAME_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
export const DATASET_NAME_RULE = 'must be 1 to 64 lowercase letters, digits, _, - or ., starting with a letter';
/** `name` or `name@version`. */
export const DATASET_REF_PATTERN = /^[a-z][a-z0-9_.-]{0,63}(@[1-9][0-9]{0,8})?$/;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export interface DatasetRef {
  name: string;
  /** Absent: the latest version. */
  version?: number;
}

/** `housing@2` -> {name: 'housing', version: 2}; undefined when it is no reference. */
export function parseDatasetRef(text: string): DatasetRef | undefined {
  if (!DATASET_REF_PATTERN.test(text)) return undefined;
  const [name = '', version] = text.split('@');
  return version === undefined ? { name } : { name, version: Number(version) };
}

export function isBuiltInDatasetName(name: string): boolean {
  return (BUILT_IN_DATASET_NAMES as readonly string[]).includes(name);
}

export function formatDatasetRef(ref: DatasetRef): string {
  return ref.version === undefined ? ref.name : `${ref.name}@${ref.version}`;
}
