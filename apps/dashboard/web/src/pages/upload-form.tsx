import { DATASET_NAME_PATTERN, DATASET_NAME_RULE, isBuiltInDatasetName, type DatasetUploadResponse } from '@trainyard/contract';
import { useState, type FormEvent } from 'react';
import { change, errorText } from '../api.js';
import { formatBytes } from '../format.js';
import { Link } from '../router.js';

/** `My Housing.csv` -> `my_housing`: a name the server takes, to start from. */
export function nameFromFile(filename: string): string {
  const base = filename.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^[^a-z]+/, '');
  return base.slice(0, 64);
}

/** Why the server would refuse this name, or undefined. */
function nameProblem(name: string): string | undefined {
  if (!DATASET_NAME_PATTERN.test(name)) return `name ${DATASET_NAME_RULE}`;
  if (isBuiltInDatasetName(name)) return `name "${name}" is a built-in dataset`;
  return undefined;
}

/** The media type the upload is sent as: the file's own when it is one the server takes, else by its extension. */
function uploadType(file: File): string {
  if (file.type === 'text/csv' || file.type === 'text/tab-separated-values') return file.type;
  return /\.(tsv|tab)$/i.test(file.name) ? 'text/tab-separated-values' : 'text/csv';
}

/**
 * A CSV or TSV file and a name: uploaded as is (the browser streams the file; the server
 * profiles it). Shows the version made (or found: the same bytes again) or the server's error,
 * which names the line and column of a table that does not parse.
 */
export function UploadForm({ initialName = '', onUploaded }: { initialName?: string; onUploaded?: (answer: DatasetUploadResponse) => void }) {
  const [file, setFile] = useState<File | undefined>();
  const [name, setName] = useState(initialName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<DatasetUploadResponse | undefined>();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(undefined);
    if (!file) return setError('choose a CSV or TSV file');
    const problem = nameProblem(name);
    if (problem) return setError(problem);
    setBusy(true);
    setError(undefined);
    try {
      const answer = await change('addDatasetVersion', { params: { name }, query: { filename: file.name }, upload: { data: file, type: uploadType(file) } });
      setDone(answer);
      onUploaded?.(answer);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="toolbar" aria-label="upload a dataset" aria-busy={busy}>
      <input
        type="file"
        aria-label="file"
        accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
        onChange={(e) => {
          const chosen = e.target.files?.[0];
          setFile(chosen);
          if (chosen && !initialName && name === '') setName(nameFromFile(chosen.name));
        }}
      />
      <label>
        name <input aria-label="name" value={name} size={20} onChange={(e) => setName(e.target.value.trim())} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? `Uploading${file ? ` ${formatBytes(file.size)}` : ''}…` : 'Upload'}
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
      {done && (
        <span role="status" data-testid="uploaded">
          {done.created ? 'created ' : 'already there: '}
          <Link to={versionPath(done.version.name, done.version.version)}>
            {done.version.name}@{done.version.version}
          </Link>{' '}
          ({done.version.rows.toLocaleString()} rows, {done.version.columns} columns)
        </span>
      )}
    </form>
  );
}

export function versionPath(name: string, version: number): string {
  return `/datasets/${encodeURIComponent(name)}/versions/${version}`;
}
