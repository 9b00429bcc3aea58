import type { ExperimentDefinition } from '@trainyard/contract';
import type { Cell, ColumnProfile } from '@trainyard/data/tables';

/** How the predict form asks for one feature: a number (empty: missing), one of its categories (or missing), or free text. */
export type FeatureInput = { name: string; kind: 'number' } | { name: string; kind: 'choice'; values: string[] } | { name: string; kind: 'text' };

/**
 * The inputs of a run's features: for a registered dataset from its version's profile (a
 * category or boolean column is a select of its most frequent values; the definition's
 * `preprocessing.columns.<c>.type` overrides the inferred type), numbers otherwise.
 */
export function featureInputs(featureNames: string[], columns: ColumnProfile[] | undefined, definition: Pick<ExperimentDefinition, 'preprocessing'>): FeatureInput[] {
  const byName = new Map((columns ?? []).map((c) => [c.name, c]));
  const overrides = definition.preprocessing.columns ?? {};
  return featureNames.map((name): FeatureInput => {
    const column = byName.get(name);
    const type = overrides[name]?.type ?? column?.type ?? 'number';
    if (type === 'number') return { name, kind: 'number' };
    const values = (column?.top ?? []).map((t) => t.value);
    return values.length > 0 ? { name, kind: 'choice', values } : { name, kind: 'text' };
  });
}

/** The form's values as a row of cells: empty is missing (null); a number field must hold a number. A string says what is wrong. */
export function rowOf(inputs: FeatureInput[], values: string[]): Cell[] | string {
  const row: Cell[] = [];
  for (const [i, input] of inputs.entries()) {
    const value = (values[i] ?? '').trim();
    if (value === '') row.push(null);
    else if (input.kind !== 'number') row.push(value);
    else if (Number.isFinite(Number(value))) row.push(Number(value));
    else return `${input.name} must be a number (or empty for a missing value)`;
  }
  return row;
}
