import type { ColumnProfile, DatasetVersionDetail, TableProfile } from '@trainyard/contract';
import type { Cell } from '@trainyard/data/tables';
import { useEffect, useState } from 'react';
import { errorText, read, routeUrl } from '../api.js';
import { formatBytes, formatNumber, formatTime } from '../format.js';
import { Link } from '../router.js';
import { ImageFolderView } from '../images/image-folder-view.js';
import { ColumnChart } from './column-charts.js';

/**
 * `/datasets/:name/versions/:version`: a table's columns (type and statistics with a small
 * chart) and first rows, or a folder of images' classes with examples; the file.
 */
export function DatasetVersionPage({ name, version }: { name: string; version: number }) {
  const [detail, setDetail] = useState<DatasetVersionDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    // A version never changes: read once.
    read('getDatasetVersion', { params: { name, version } }).then(
      (answer) => current && setDetail(answer),
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [name, version]);
  if (error) return <p className="error">{error}</p>;
  if (!detail) return <p className="muted">Loading…</p>;
  const { profile } = detail;
  return (
    <>
      <h1>
        <Link to="/datasets">Datasets</Link> / <Link to={`/datasets/${encodeURIComponent(name)}`}>{name}</Link> @{version}
      </h1>
      <p className="toolbar">
        <span>
          {profile.format === 'images'
            ? `${detail.rows.toLocaleString()} images · ${detail.columns} classes · ${profile.archive}`
            : `${detail.rows.toLocaleString()} rows · ${detail.columns} columns · ${detail.format.toUpperCase()} (${describeDelimiter(profile.delimiter)})`}{' '}
          · {formatBytes(detail.size)}
        </span>
        <span className="muted">
          {detail.filename ?? ''} · {formatTime(detail.createdAt)} · {detail.runs} runs
        </span>
        {/* A plain link, so the browser downloads the file itself; the read cookie authorizes it. */}
        <a href={routeUrl('datasetFile', { params: { name, version } })} download={detail.filename ?? `${name}-${version}.${profile.format === 'images' ? profile.archive : detail.format}`}>
          Download
        </a>
      </p>
      <p className="muted hash" data-testid="sha256">
        sha256 {detail.sha256}
      </p>
      {profile.format === 'images' ? <ImageFolderView profile={profile} /> : <TableView profile={profile} />}
    </>
  );
}

/** A table's columns and first rows. */
function TableView({ profile }: { profile: TableProfile }) {
  return (
    <>
      <section>
        <h2>Columns</h2>
        <table data-testid="columns">
          <thead>
            <tr>
              <th>column</th>
              <th>type</th>
              <th className="num">missing</th>
              <th className="num">distinct</th>
              <th>statistics</th>
              <th>distribution</th>
            </tr>
          </thead>
          <tbody>
            {profile.columns.map((c) => (
              <tr key={c.name} data-column={c.name}>
                <td>{c.name}</td>
                <td data-testid="column-type">{c.type}</td>
                <td className="num">{c.missing.toLocaleString()}</td>
                <td className="num">
                  {c.distinct.toLocaleString()}
                  {c.distinctCapped ? '+' : ''}
                </td>
                <td>
                  <Statistics column={c} />
                </td>
                <td>
                  <ColumnChart column={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>First rows</h2>
        <div className="scroll">
          <table data-testid="preview">
            <thead>
              <tr>
                {profile.columns.map((c) => (
                  <th key={c.name} className={c.type === 'number' ? 'num' : undefined}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {profile.preview.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className={typeof cell === 'number' ? 'num' : cell === null ? 'muted' : undefined}>
                      {formatCell(cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function Statistics({ column: c }: { column: ColumnProfile }) {
  if (c.type === 'number') {
    return (
      <span>
        min {formatNumber(c.min)} · max {formatNumber(c.max)} · mean {formatNumber(c.mean)} · std {formatNumber(c.std)}
      </span>
    );
  }
  const top = c.top ?? [];
  if (top.length === 0) return <span className="muted">—</span>;
  const shown = top.slice(0, 5);
  return (
    <span>
      {shown.map((t) => `${t.value} (${t.count})`).join(' · ')}
      {c.distinct > shown.length ? ` · ${(c.distinct - shown.length).toLocaleString()} more` : ''}
    </span>
  );
}

function formatCell(cell: Cell): string {
  if (cell === null) return '(missing)';
  return typeof cell === 'number' ? formatNumber(cell, 6) : cell;
}

function describeDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter === ';' ? 'semicolons' : 'commas';
}
