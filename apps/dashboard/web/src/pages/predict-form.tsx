import type { PredictResponse } from '@trainyard/contract';
import { useState, type FormEvent } from 'react';
import { change, errorText } from '../api.js';
import { formatNumber } from '../format.js';

type Prediction = PredictResponse['predictions'][number];

function formatPrediction(p: Prediction): string {
  return p.label !== undefined ? `${p.label} (${p.output.map((o) => formatNumber(o, 3)).join(', ')})` : p.output.map((o) => formatNumber(o, 6)).join(', ');
}

/**
 * The notebook's "check on new data": the predictions of the definition's own `predict` rows,
 * made when the run finished, then a form for raw inputs in and the model's predictions out.
 */
export function PredictForm({ runId, featureNames, recorded }: { runId: string; featureNames: string[]; recorded: Prediction[] }) {
  const [values, setValues] = useState<string[]>(() => featureNames.map(() => ''));
  const [result, setResult] = useState<PredictResponse | undefined>();
  const [error, setError] = useState<string | undefined>();
  if (featureNames.length === 0) return null;
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const row = values.map(Number);
    if (values.some((v) => v.trim() === '') || row.some((v) => !Number.isFinite(v))) {
      setError('every input must be a number');
      return;
    }
    try {
      setResult(await change('predict', { params: { id: runId }, body: { inputs: [row] } }));
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  };
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
                  <td key={j} className="num">
                    {formatNumber(value, 6)}
                  </td>
                ))}
                <td>→ {formatPrediction(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void submit(e)} className="toolbar">
        {featureNames.map((name, i) => (
          <label key={i}>
            {name}{' '}
            <input
              aria-label={name}
              value={values[i] ?? ''}
              size={8}
              inputMode="decimal"
              onChange={(e) => setValues((old) => old.map((v, j) => (j === i ? e.target.value : v)))}
            />
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
