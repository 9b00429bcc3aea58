import { useState } from 'react';
import { read } from '../api.js';
import { formatBytes, formatTime } from '../format.js';
import { usePolling } from '../polling.js';
import { Link } from '../router.js';
import { UploadForm, versionPath } from './upload-form.js';

const REFRESH_MS = 10_000;

/** `/datasets`: the registered datasets (their latest version) and the upload form. */
export function DatasetsPage() {
  // Bumped by an upload, so that the list shows it at once.
  const [uploads, setUploads] = useState(0);
  const { data, error } = usePolling(`datasets ${uploads}`, () => read('listDatasets', { query: { limit: 200 } }), REFRESH_MS);
  return (
    <>
      <h1>Datasets</h1>
      <section>
        <h2>Upload a table</h2>
        <p className="muted">A CSV or TSV file with a header row. The same bytes again are the same version; new bytes under a name make its next version.</p>
        <UploadForm onUploaded={() => setUploads((n) => n + 1)} />
      </section>
      {error && !data && <p className="error">{error}</p>}
      {data && data.items.length === 0 && <p className="muted">No dataset yet: upload one above, or `trainyard dataset add file.csv --name my_table`.</p>}
      {data && data.items.length > 0 && (
        <table data-testid="datasets">
          <thead>
            <tr>
              <th>name</th>
              <th className="num">versions</th>
              <th className="num">rows</th>
              <th className="num">columns</th>
              <th className="num">size</th>
              <th>created</th>
              <th className="num">runs</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((d) => (
              <tr key={d.name}>
                <td>
                  <Link to={`/datasets/${encodeURIComponent(d.name)}`}>{d.name}</Link>{' '}
                  <Link to={versionPath(d.name, d.latest.version)} className="muted">
                    @{d.latest.version}
                  </Link>
                </td>
                <td className="num">{d.versions}</td>
                <td className="num">{d.latest.rows.toLocaleString()}</td>
                <td className="num">{d.latest.columns}</td>
                <td className="num">{formatBytes(d.latest.size)}</td>
                <td>{formatTime(d.latest.createdAt)}</td>
                <td className="num">{d.runs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
