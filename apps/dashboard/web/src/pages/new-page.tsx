import { DefinitionError, expandSweep, isSweepInput, jsonValueSchema, safeParseDefinition, type DefinitionIssue } from '@trainyard/contract';
import { useMemo, useState } from 'react';
import { ApiError, change, errorText } from '../api.js';
import { navigate } from '../router.js';

/** The @trainyard/examples package's definitions, bundled at build time (Vite's import.meta.glob; the alias is in vite.config.ts). */
const EXAMPLES: Record<string, unknown> = Object.fromEntries(
  Object.entries(
    import.meta.glob<unknown>(['@trainyard/examples/*.json', '!@trainyard/examples/package.json'], { eager: true, import: 'default' }),
  ).map(([path, json]) => [
    path.replace(/^.*\//, '').replace(/\.json$/, ''),
    json,
  ]),
);

type Checked = { ok: true; runs: number; sweep: boolean } | { ok: false; issues: DefinitionIssue[] };

/** The same checks as the server's POST /api/experiments, without writing anything. */
function check(text: string): Checked {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '(json)', message: error instanceof Error ? error.message : String(error) }] };
  }
  if (isSweepInput(input)) {
    try {
      return { ok: true, runs: expandSweep(input, 0).trials.length, sweep: true };
    } catch (error) {
      if (error instanceof DefinitionError) return { ok: false, issues: error.issues };
      throw error;
    }
  }
  const result = safeParseDefinition(input);
  return result.ok ? { ok: true, runs: 1, sweep: false } : { ok: false, issues: result.issues };
}

/** `/new`: a definition or a sweep, validated as it is typed, then submitted. */
export function NewPage() {
  const [text, setText] = useState(() => JSON.stringify(EXAMPLES['notebook-2-sum'], null, 2));
  const [submitting, setSubmitting] = useState(false);
  const [serverIssues, setServerIssues] = useState<DefinitionIssue[]>([]);
  const [error, setError] = useState<string | undefined>();
  const checked = useMemo(() => check(text), [text]);
  const submit = async (): Promise<void> => {
    if (!checked.ok) return;
    setSubmitting(true);
    try {
      const response = await change('submit', { body: jsonValueSchema.parse(JSON.parse(text)) });
      const only = response.runs.length === 1 ? response.runs[0] : undefined;
      if (only && !response.sweep) navigate(`/runs/${only.id}`);
      else navigate(response.sweep ? `/?sweep=${response.sweep.id}` : '/');
    } catch (e) {
      setServerIssues(e instanceof ApiError ? e.issues : []);
      setError(errorText(e));
      setSubmitting(false);
    }
  };
  const issues = checked.ok ? serverIssues : checked.issues;
  return (
    <>
      <h1>New experiment</h1>
      <div className="toolbar">
        <label>
          start from{' '}
          <select
            defaultValue="notebook-2-sum"
            onChange={(e) => {
              setText(JSON.stringify(EXAMPLES[e.target.value], null, 2));
              setError(undefined);
              setServerIssues([]);
            }}
          >
            {Object.keys(EXAMPLES).map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <span data-testid="validity" className={checked.ok ? 'ok' : 'error'}>
          {checked.ok ? (checked.sweep ? `valid sweep: ${checked.runs} run${checked.runs === 1 ? '' : 's'}` : 'valid definition: 1 run') : `${checked.issues.length} problem${checked.issues.length === 1 ? '' : 's'}`}
        </span>
        <button className="primary" disabled={!checked.ok || submitting} onClick={() => void submit()}>
          {submitting ? 'Submitting…' : 'Submit'}
        </button>
      </div>
      <div className="grid2">
        <textarea aria-label="definition" spellCheck={false} value={text} rows={36} onChange={(e) => setText(e.target.value)} />
        <div>
          {error && <p className="error">{error}</p>}
          {issues.length > 0 && (
            <ul className="issues" data-testid="issues">
              {issues.map((issue, i) => (
                <li key={i}>
                  <strong>{issue.path || '(root)'}</strong>: {issue.message}
                </li>
              ))}
            </ul>
          )}
          <p className="muted">
            A definition, or a sweep: {'{"name", "base": <definition>, "grid": {...}, "random": {...}, "repeats": k}'}. Checked here with the server&apos;s own schema; nothing is sent until
            Submit.
          </p>
        </div>
      </div>
    </>
  );
}
