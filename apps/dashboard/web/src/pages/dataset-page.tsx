import { useState } from 'react';
import { change, errorText, read } from '../api.js';
import { formatBytes, formatTime } from '../format.js';
import { usePolling } from '../polling.js';
import { Link } from '../router.js';
import { UploadForm, versionPath } from './upload-form.js';

const REFRESH_MS = 10_000;

/** `/datasets/:name`: its versions, newest first, a new version's upload, deleting one no run used. */
export function DatasetPage({ name }: { name: string }) {
  const [changes, setChanges] = useState(0);
  const [message, setMessage] = useState<string | undefined>();
  const { data, error } = usePolling(`${name} ${changes}`, () => read('getDataset', { params: { name } }), REFRESH_MS);
  const remove = async (version: number): Promise<void> => {
    if (!confirm(`Delete ${name}@${version}? Its bytes are gone for good.`)) return;
    try {
      await change('deleteDatasetVersion', { params: { name, version } });
      setMessage(`${name}@${version} deleted`);
      setChanges((n) => n + 1);
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  if (error && !data) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  return (
    <>
      <h1>
        <Link to="/datasets">Datasets</Link> / {data.name}
      </h1>
      <section>
        <h2>New version</h2>
        <UploadForm initialName={name} onUploaded={() => setChanges((n) => n + 1)} />
      </section>
      {message && <p role="status">{message}</p>}
      <table data-testid="versions">
        <thead>
          <tr>
            <th>version</th>
            <th>file</th>
            <th className="num">rows</th>
            <th className="num">columns</th>
            <th className="num">size</th>
            <th>sha256</th>
            <th>created</th>
            <th className="num">runs</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.versions.map((v) => (
            <tr key={v.version}>
              <td>
                <Link to={versionPath(v.name, v.version)}>
                  {v.name}@{v.version}
                </Link>
              </td>
              <td>{v.filename ?? '—'}</td>
              <td className="num">{v.rows.toLocaleString()}</td>
              <td className="num">{v.columns}</td>
              <td className="num">{formatBytes(v.size)}</td>
              <td className="hash" title={v.sha256}>
                {v.sha256.slice(0, 12)}
              </td>
              <td>{formatTime(v.createdAt)}</td>
              <td className="num">{v.runs}</td>
              <td>
                <button disabled={v.runs > 0} title={v.runs > 0 ? 'runs trained on it: it cannot be deleted' : undefined} onClick={() => void remove(v.version)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
