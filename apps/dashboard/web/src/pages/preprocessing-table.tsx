import type { RunDetailView } from '@trainyard/contract';
import { MISSING_CATEGORY } from '@trainyard/data/tables';
import { formatNumber } from '../format.js';

type State = NonNullable<RunDetailView['preprocessor']>;
type Scaler = State['features'];
type ColumnState = Extract<State, { version: 2 }>['columns'][number];

const MAX_LISTED = 12;

interface Row {
  name: string;
  role: string;
  missing: string;
  encoding: string;
}

function scaling(state: Scaler, index: number): string {
  switch (state.kind) {
    case 'none':
      return 'not scaled';
    case 'minmax':
      return `minmax [${formatNumber(state.min[index])}, ${formatNumber(state.max[index])}]`;
    case 'standard':
      return `standard (mean ${formatNumber(state.mean[index])}, std ${formatNumber(state.std[index])})`;
    case 'pixels':
      return `pixels / ${formatNumber(state.max)}`;
  }
}

/** More number features than this (an image's pixels) are one row of the table. */
const MAX_FEATURE_ROWS = 20;

function scalingOfAll(state: Scaler): string {
  return state.kind === 'none' || state.kind === 'pixels' ? scaling(state, 0) : `${state.kind}, per feature`;
}

function missingRule(column: ColumnState): string {
  if (column.impute === 'drop') return 'rows missing it dropped';
  if (column.type === 'number') return `${column.impute} ${formatNumber(column.fillValue)}`;
  if (column.impute === 'missing_category') return `its own category ${MISSING_CATEGORY}`;
  return `${column.impute} ${column.fillValue ?? ''}`.trimEnd();
}

function listed(values: string[]): string {
  const shown = values.slice(0, MAX_LISTED).join(', ');
  return values.length > MAX_LISTED ? `${shown}, … ${values.length - MAX_LISTED} more` : shown;
}

/** One row per feature column then per target, as libs/data's describePreprocessor words them. */
export function preprocessingRows(state: State): Row[] {
  const rows: Row[] = [];
  if (state.version === 1) {
    const names = state.featureNames;
    if (names.length > MAX_FEATURE_ROWS) rows.push({ name: `${names.length} features (${names[0] ?? ''} … ${names.at(-1) ?? ''})`, role: 'number', missing: '—', encoding: scalingOfAll(state.features) });
    else names.forEach((name, c) => rows.push({ name, role: 'number', missing: '—', encoding: scaling(state.features, c) }));
  } else {
    // The scaler's columns are the number columns, in order.
    let n = 0;
    for (const column of state.columns) {
      if (column.type === 'number') rows.push({ name: column.name, role: 'number', missing: missingRule(column), encoding: scaling(state.features, n++) });
      else rows.push({ name: column.name, role: column.type, missing: missingRule(column), encoding: `one-hot ${column.categories.length}: ${listed(column.categories)}; unseen -> all zeros` });
    }
  }
  if (state.task === 'classification') {
    rows.push({ name: state.targetNames[0] ?? 'target', role: 'target', missing: '—', encoding: `${state.classNames?.length ?? 0} classes: ${listed(state.classNames ?? [])}` });
  } else {
    state.targetNames.forEach((name, t) => rows.push({ name, role: 'target', missing: '—', encoding: scaling(state.target, t) }));
  }
  return rows;
}

/** The preprocessing fitted on the training part and saved with the model: per column, missing values, encoding, scaling. */
export function PreprocessingTable({ state }: { state: RunDetailView['preprocessor'] }) {
  if (!state) return null;
  return (
    <section>
      <h2>Preprocessing</h2>
      <p className="muted">Fitted on the training part only and saved with the model; predict applies it to raw rows.</p>
      <table data-testid="preprocessing">
        <thead>
          <tr>
            <th>column</th>
            <th>type</th>
            <th>missing values</th>
            <th>encoding and scaling</th>
          </tr>
        </thead>
        <tbody>
          {preprocessingRows(state).map((row) => (
            <tr key={`${row.role} ${row.name}`}>
              <td>{row.name}</td>
              <td>{row.role}</td>
              <td>{row.missing}</td>
              <td>{row.encoding}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
