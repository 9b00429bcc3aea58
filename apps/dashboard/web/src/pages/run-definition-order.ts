import type { RunDetailView } from '@trainyard/contract';

type Definition = RunDetailView['definition'];

/**
 * The definition as a user writes it. Its fields come from the API in the contract schema's
 * order (name, description, seed, dataset, ..., epochs, batchSize, ...; zod's parse builds
 * objects in shape order), which the examples follow. Not so the column names of
 * `preprocessing.columns`, a record: the database keeps definitions as JSONB, which stores an
 * object's keys shortest first. They are put back in the table's order (`columnOrder`, its
 * feature then target columns); a name the table does not have keeps its place after them.
 */
export function definitionForDisplay(definition: Definition, columnOrder: readonly string[]): Definition {
  const columns = definition.preprocessing.columns;
  if (!columns) return definition;
  const rank = (name: string): number => {
    const index = columnOrder.indexOf(name);
    return index === -1 ? columnOrder.length : index;
  };
  const ordered = Object.fromEntries(Object.entries(columns).sort(([a], [b]) => rank(a) - rank(b)));
  return { ...definition, preprocessing: { ...definition.preprocessing, columns: ordered } };
}

/** A run's definition as a user writes it, its columns in the order of the table it trained on. */
export function shownDefinition(run: Pick<RunDetailView, 'definition' | 'env'>): Definition {
  const dataset = run.env?.dataset;
  return definitionForDisplay(run.definition, [...(dataset?.featureNames ?? []), ...(dataset?.targetNames ?? [])]);
}
