import { MISSING_CELLS, type ColumnOptions, type ColumnProfile, type ColumnType, type TableProfile } from '@trainyard/data/tables';
import type { DatasetFacts } from '../definition/dataset-facts.js';
import type { DefinitionIssue } from '../definition/definition-error.js';
import type { ExperimentDefinition } from '../definition/experiment-definition.schema.js';

/*
 * A definition against a table's profile (a registered version's, stored at upload): the
 * checks the server runs at submission, before anything is queued. Each issue names the field
 * and what is allowed. The training thread runs the same rules again on the bytes it reads
 * (libs/data's tableDataset), so a definition that passes here trains.
 */

const LISTED = 20;
const NUMBER_ONLY_IMPUTES = new Set(['mean', 'median']);

interface TableSpec {
  target: string | string[];
  features?: string[] | undefined;
  task?: 'regression' | 'classification' | undefined;
}

function tableSpec(def: ExperimentDefinition): TableSpec | undefined {
  const spec = def.dataset as Partial<TableSpec>;
  return spec.target === undefined ? undefined : (spec as TableSpec);
}

function listColumns(profile: TableProfile): string {
  const names = profile.columns.map((c) => c.name);
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

function targetsOf(spec: TableSpec): string[] {
  return typeof spec.target === 'string' ? [spec.target] : spec.target;
}

/** The columns a table dataset uses as features: `features`, or every non-target column. */
function featuresOf(spec: TableSpec, profile: TableProfile): string[] {
  const targets = targetsOf(spec);
  return spec.features ?? profile.columns.map((c) => c.name).filter((name) => !targets.includes(name));
}

/** The type a column is used as: the definition's override, else the profile's inference. */
function effectiveType(column: ColumnProfile, options: ColumnOptions | undefined): ColumnType {
  return options?.type ?? column.type;
}

function isNumberText(cell: string): boolean {
  const text = cell.trim();
  return text !== '' && Number.isFinite(Number(text)) && !/^[+-]?0[xbo]/i.test(text);
}

function isMissing(cell: string | number | null): boolean {
  return cell === null || (typeof cell === 'string' && MISSING_CELLS.includes(cell.trim()));
}

function optionIssues(name: string, options: ColumnOptions, column: ColumnProfile | undefined, profile: TableProfile): DefinitionIssue[] {
  const at = `preprocessing.columns.${name}`;
  if (!column) return [{ path: at, message: `'${name}' is not a column of the table; available columns: ${listColumns(profile)}` }];
  const issues: DefinitionIssue[] = [];
  if (options.type === 'number' && column.type !== 'number') {
    issues.push({ path: `${at}.type`, message: `'${name}' holds texts that are not numbers (inferred ${column.type}); it can be "category"` });
  }
  if (options.type === 'boolean' && column.type !== 'boolean') {
    issues.push({ path: `${at}.type`, message: `'${name}' holds values other than true/false/yes/no (inferred ${column.type}); it can be "category"` });
  }
  const type = effectiveType(column, options);
  if (options.impute && NUMBER_ONLY_IMPUTES.has(options.impute) && type !== 'number') {
    issues.push({ path: `${at}.impute`, message: `"${options.impute}" needs a number column; '${name}' is a ${type} column: use most_frequent, constant or drop` });
  }
  if (options.impute === 'constant' && options.fillValue === undefined) {
    issues.push({ path: `${at}.fillValue`, message: 'is required with impute "constant"' });
  } else if (options.fillValue !== undefined && options.impute !== 'constant') {
    issues.push({ path: `${at}.fillValue`, message: 'is used only with impute "constant"' });
  } else if (options.fillValue !== undefined && type === 'number' && typeof options.fillValue !== 'number') {
    issues.push({ path: `${at}.fillValue`, message: `must be a number for the number column '${name}'` });
  }
  return issues;
}

/**
 * A table dataset's definition against the table's profile: target and feature columns exist,
 * no column is both, a regression target is a number column without missing cells (a
 * classification target has no missing cells either), no free-text feature, every
 * preprocessing.columns entry names a column and fits its type, and `predict` rows give
 * numbers for number columns. Not a table dataset: no issues.
 */
export function tableIssues(def: ExperimentDefinition, profile: TableProfile): DefinitionIssue[] {
  const spec = tableSpec(def);
  if (!spec) return [];
  const issues: DefinitionIssue[] = [];
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  const options = def.preprocessing.columns ?? {};
  const notAColumn = (name: string): string => `'${name}' is not a column of the table; available columns: ${listColumns(profile)}`;

  const targets = targetsOf(spec);
  const targetPath = (i: number): string => (typeof spec.target === 'string' ? 'dataset.target' : `dataset.target[${i}]`);
  targets.forEach((name, i) => {
    const column = byName.get(name);
    if (!column) return issues.push({ path: targetPath(i), message: notAColumn(name) });
    const type = effectiveType(column, options[name]);
    if ((spec.task ?? 'regression') === 'regression' && type !== 'number') {
      issues.push({ path: targetPath(i), message: `'${name}' is a ${type} column; a regression target must be a number column (or use task "classification")` });
    } else if (column.missing > 0) {
      issues.push({ path: targetPath(i), message: `'${name}' has ${column.missing} missing cells; every row needs a target (remove those rows or fill them in)` });
    }
    return undefined;
  });

  const features = featuresOf(spec, profile);
  features.forEach((name, i) => {
    const path = spec.features ? `dataset.features[${i}]` : 'dataset.features';
    const column = byName.get(name);
    if (!column) return issues.push({ path, message: notAColumn(name) });
    if (targets.includes(name)) return issues.push({ path, message: `'${name}' is a target; a column cannot be both feature and target` });
    if (effectiveType(column, options[name]) === 'text') {
      const distinct = `${column.distinct}${column.distinctCapped ? '+' : ''}`;
      issues.push({
        path,
        message: `'${name}' is free text (${distinct} distinct values in ${profile.rows} rows), which cannot be a feature: leave it out with dataset.features or set preprocessing.columns.${name}.type to "category"`,
      });
    }
    return undefined;
  });
  if (features.length === 0) issues.push({ path: 'dataset.features', message: `the table has no column left for features; available columns: ${listColumns(profile)}` });

  for (const [name, columnOptions] of Object.entries(options)) issues.push(...optionIssues(name, columnOptions, byName.get(name), profile));

  def.predict?.forEach((row, i) => {
    row.forEach((cell, j) => {
      const column = byName.get(features[j] ?? '');
      if (!column || effectiveType(column, options[column.name]) !== 'number' || isMissing(cell)) return;
      if (typeof cell === 'string' && !isNumberText(cell)) {
        issues.push({ path: `predict[${i}][${j}]`, message: `must be a number (or null for missing) for the number column '${column.name}'` });
      }
    });
  });
  return issues;
}

/**
 * What checkDefinition needs of a table dataset, from its profile: task, target count, the
 * number of feature columns, classes (the target's distinct values) and rows (at most: rows
 * missing an `impute: "drop"` column are left out when it is read).
 */
export function tableFacts(def: ExperimentDefinition, profile: TableProfile): DatasetFacts {
  const spec = tableSpec(def);
  const task = spec?.task ?? 'regression';
  const targets = spec ? targetsOf(spec) : [];
  const dropped = Object.entries(def.preprocessing.columns ?? {}).flatMap(([name, o]) =>
    o.impute === 'drop' ? [profile.columns.find((c) => c.name === name)?.missing ?? 0] : [],
  );
  const facts: DatasetFacts = {
    task,
    targets: targets.length,
    features: spec ? featuresOf(spec, profile).length : profile.columns.length,
    rows: profile.rows - Math.max(0, ...dropped),
  };
  if (task === 'classification') {
    const target = profile.columns.find((c) => c.name === targets[0]);
    if (target) facts.classes = target.distinct;
  }
  return facts;
}
