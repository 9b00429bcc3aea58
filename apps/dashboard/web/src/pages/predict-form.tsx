import { isRegisteredDataset, type ExperimentDefinition, type PredictResponse } from '@trainyard/contract';
import type { Cell, ColumnProfile } from '@trainyard/data/tables';
import { featureInputs, rowOf } from './predict-inputs.js';
import { useEffect, useState, type FormEvent } from 'react';
import { change, errorText, read } from '../api.js';
import { formatNumber } from '../format.js';

type Prediction = PredictResponse['predictions'][number];

function formatPrediction(p: Prediction): string {
  return p.label !== undefined ? `${p.label} (${p.output.map((o) => formatNumber(o, 3)).join(', ')})` : p.output.map((o) => formatNumber(o, 6)).join(', ');
}

function formatCell(cell: Cell): string {
  if (cell === null) return '(missing)';
  return typeof cell === 'number' ? formatNumber(cell, 6) : cell;
}

/** The profile of the exact dataset version the run trained on, when it is a registered one. */
function useTrainedColumns(definition: ExperimentDefinition): { columns: ColumnProfile[] | undefined; loading: boolean } {
  const dataset = definition.dataset;
  const name = isRegisteredDataset(dataset) ? dataset.name : undefined;
  const version = isRegisteredDataset(dataset) ? dataset.version : undefined;
  const [columns, setColumns] = useState<ColumnProfile[] | undefined>();
  const [loading, setLoading] = useState(name !== undefined && version !== undefined);
  useEffect(() => {
    if (name === undefined || version === undefined) return undefined;
    let current = true;
    read('getDatasetVersion', { params: { name, version } })
      .then(
        (detail) => current && detail.profile.format !== 'images' && setColumns(detail.profile.columns),
        // Deleted, or no access: numbers and free text still work.
        () => undefined,
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [name, version]);
  return { columns, loading };
}

/**
 * The notebook's "check on new data": the predictions of the definition's own `predict` rows,
 * made when the run finished, then a form for raw inputs in and the model's predictions out.
 * Cells may be left empty (missing): the run's preprocessing imputes them as in training.
 */
export function PredictForm({ runId, featureNames, recorded, definition }: { runId: string; featureNames: string[]; recorded: Prediction[]; definition: ExperimentDefinition }) {
  const { columns, loading } = useTrainedColumns(definition);
  const inputs = featureInputs(featureNames, columns, definition);
  const [values, setValues] = useState<string[]>(() => featureNames.map(() => ''));
  const [result, setResult] = useState<PredictResponse | undefined>();
  const [error, setError] = useState<string | undefined>();
  if (featureNames.length === 0 || loading) return null;
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const row = rowOf(inputs, values);
    if (typeof row === 'string') return setError(row);
    try {
      setResult(await change('predict', { params: { id: runId }, body: { inputs: [row] } }));
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const set = (i: number, value: string): void => setValues((old) => old.map((v, j) => (j === i ? value : v)));
  return (
    <section>
      <h2>Predict</h2>
      {recorded.length > 0 && (
        <table data-testid="recorded-predictions">
          <caption>The definition's predict rows, at the end of training</caption>
          <thead>
            <tr>
              {(recorded[0]?.input ?? []).map((_, i) => (
                <th key={i} className="num">
                  {featureNames[i] ?? `input ${i + 1}`}
                </th>
              ))}
              <th>prediction</th>
            </tr>
          </thead>
          <tbody>
            {recorded.map((p, i) => (
              <tr key={i}>
                {p.input.map((value, j) => (
                  <td key={j} className={typeof value === 'number' ? 'num' : undefined}>
                    {formatCell(value)}
                  </td>
                ))}
                <td>→ {formatPrediction(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void submit(e)} className="toolbar">
        {inputs.map((input, i) => (
          <label key={input.name}>
            {input.name}{' '}
            {input.kind === 'choice' ? (
              <select aria-label={input.name} value={values[i] ?? ''} onChange={(e) => set(i, e.target.value)}>
                <option value="">(missing)</option>
                {input.values.map((value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ))}
              </select>
            ) : (
              <input
                aria-label={input.name}
                value={values[i] ?? ''}
                size={8}
                placeholder={input.kind === 'number' ? 'missing' : ''}
                inputMode={input.kind === 'number' ? 'decimal' : 'text'}
                onChange={(e) => set(i, e.target.value)}
              />
            )}
          </label>
        ))}
        <button type="submit" className="primary">
          Predict
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {result?.predictions.map((p, i) => (
        <p key={i} data-testid="prediction">
          → {formatPrediction(p)}
        </p>
      ))}
    </section>
  );
}
