import { DefinitionError, expandSweep, isSweepInput, jsonValueSchema, safeParseDefinition, type DefinitionIssue } from '@trainyard/contract';
import { lazy, Suspense, useMemo, useState } from 'react';
import { ApiError, change, errorText } from '../api.js';
import { navigate } from '../router.js';
import { type DefinitionEditorProps, PlainEditor } from './new-plain-editor.js';
import { exampleOf, exampleText } from './new-start-from.js';

/** CodeMirror with the contract's JSON Schema, in a chunk of its own; a plain text area until it is loaded, or if it cannot be. */
const DefinitionEditor = lazy(() =>
  import('./new-editor.js').catch((error: unknown) => {
    console.error('the JSON editor did not load; editing as plain text', error);
    return { default: PlainEditor };
  }),
);

/** The picker's entry for a text that is no example. */
const EDITED = '';

/** The @trainyard/examples package's definitions, bundled at build time (Vite's import.meta.glob; the alias is in vite.config.ts). */
const EXAMPLES: Record<string, unknown> = Object.fromEntries(
  Object.entries(
    import.meta.glob<unknown>(['@trainyard/examples/*.json', '!@trainyard/examples/package.json'], { eager: true, import: 'default' }),
  ).map(([path, json]) => [
    path.replace(/^.*\//, '').replace(/\.json$/, ''),
    json,
  ]),
);

/** `sweep`: whether the text is a sweep (it has a `base`); undefined while it is not JSON. */
type Checked = ({ ok: true; runs: number } | { ok: false; issues: DefinitionIssue[] }) & { sweep: boolean | undefined };

/** The same checks as the server's POST /api/experiments, without writing anything. */
function check(text: string): Checked {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '(json)', message: error instanceof Error ? error.message : String(error) }], sweep: undefined };
  }
  if (isSweepInput(input)) {
    try {
      return { ok: true, runs: expandSweep(input, 0).trials.length, sweep: true };
    } catch (error) {
      if (error instanceof DefinitionError) return { ok: false, issues: error.issues, sweep: true };
      throw error;
    }
  }
  const result = safeParseDefinition(input);
  return result.ok ? { ok: true, runs: 1, sweep: false } : { ok: false, issues: result.issues, sweep: false };
}

/** `/new`: a definition or a sweep, validated as it is typed, then submitted. */
export function NewPage() {
  const [text, setText] = useState(() => exampleText(EXAMPLES['notebook-2-sum']));
  const [submitting, setSubmitting] = useState(false);
  const [serverIssues, setServerIssues] = useState<DefinitionIssue[]>([]);
  const [error, setError] = useState<string | undefined>();
  const checked = useMemo(() => check(text), [text]);
  // The picker follows the text: the example it holds, or "(edited)".
  const chosen = useMemo(() => exampleOf(text, EXAMPLES), [text]);
  // While the text is not JSON (mid-edit), the editor keeps the schema it had.
  const [sweep, setSweep] = useState(false);
  if (checked.sweep !== undefined && checked.sweep !== sweep) setSweep(checked.sweep);
  const edit = (next: string): void => {
    setText(next);
    // The server's issues were about the text it was sent.
    setServerIssues([]);
  };
  const startFrom = (name: string): void => {
    if (chosen === undefined && !window.confirm(`Replace your edited text with the example ${name}? Your edits are lost.`)) return;
    setText(exampleText(EXAMPLES[name]));
    setError(undefined);
    setServerIssues([]);
  };
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
          <select value={chosen ?? EDITED} onChange={(e) => startFrom(e.target.value)}>
            {chosen === undefined && <option value={EDITED}>(edited)</option>}
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
        <EditorSlot text={text} onChange={edit} sweep={sweep} issues={serverIssues} />
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

function EditorSlot(props: DefinitionEditorProps) {
  return (
    <Suspense fallback={<PlainEditor {...props} />}>
      <DefinitionEditor {...props} />
    </Suspense>
  );
}
