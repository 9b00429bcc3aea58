import type { DatasetUploadResponse, DatasetVersionDetail, DatasetVersionView, DatasetView, ImageFolderProfile, TableProfile } from '@trainyard/contract';
import type { Cell, ColumnProfile } from '@trainyard/data/tables';
import { formatBytes, formatCount, renderTable } from './format.js';

/** Categories named in a column's one-line summary; the rest are counted. */
const SUMMARY_CATEGORIES = 3;
/** Preview columns shown side by side, and the widest a cell is shown. */
const PREVIEW_COLUMNS = 10;
const CELL_WIDTH = 20;

/** `housing@2`. */
export function refOf(version: Pick<DatasetVersionView, 'name' | 'version'>): string {
  return `${version.name}@${version.version}`;
}

/** An upload's answer: its version (new, or the one these bytes already were), then a line per column. */
export function describeUpload(upload: DatasetUploadResponse): string {
  const { version } = upload;
  const what = upload.created ? 'new' : 'already there: same bytes';
  return [`${refOf(version)} (${what})`, describeVersionHead(version), '', contentTable(version.profile)].join('\n');
}

/** A table's columns, or a folder of images' classes. */
function contentTable(profile: TableProfile | ImageFolderProfile): string {
  return profile.format === 'images' ? classesTable(profile) : columnsTable(profile.columns);
}

/** `20,640 rows · 10 columns · csv · 1.4 MiB · sha256 1a2b3c4d5e6f…`, or `3,670 images · 5 classes · images · ...`. */
export function describeVersionHead(version: DatasetVersionView): string {
  const images = version.format === 'images';
  const parts = [plural(version.rows, images ? 'image' : 'row'), images ? plural(version.columns, 'class', 'classes') : plural(version.columns, 'column'), version.format, formatBytes(version.size), `sha256 ${version.sha256.slice(0, 12)}…`];
  if (version.filename) parts.push(`from ${version.filename}`);
  return parts.join(' · ');
}

/** A column's statistics in short: `min 1 · max 9 · mean 4.2` or `red 12 · blue 7 · green 3 · 2 more`. */
export function columnSummary(column: ColumnProfile): string {
  if (column.type === 'number') {
    const stats: [string, number | undefined][] = [['min', column.min], ['max', column.max], ['mean', column.mean], ['std', column.std]];
    return stats.filter((s): s is [string, number] => s[1] !== undefined).map(([k, v]) => `${k} ${shortNumber(v)}`).join(' · ');
  }
  const top = column.top ?? [];
  if (column.type === 'text') {
    // Free text: most values appear once, so their counts say nothing; how many there are does.
    const examples = top.slice(0, SUMMARY_CATEGORIES).map((t) => clip(t.value));
    return `${formatCount(column.distinct)}${column.distinctCapped ? '+' : ''} distinct${examples.length > 0 ? `, e.g. ${examples.join(' · ')}` : ''}`;
  }
  const named = top.slice(0, SUMMARY_CATEGORIES).map((t) => `${clip(t.value)} ${formatCount(t.count)}`);
  const more = column.distinct - named.length;
  if (more > 0) named.push(`${formatCount(more)}${column.distinctCapped ? '+' : ''} more`);
  return named.join(' · ');
}

/** A folder of images: a row per class with its count, then the images' sizes, colour and file types. */
export function classesTable(profile: ImageFolderProfile): string {
  const size = (r: { min: number; max: number }): string => (r.min === r.max ? String(r.min) : `${r.min}-${r.max}`);
  const types = [profile.types.png > 0 ? `${formatCount(profile.types.png)} PNG` : '', profile.types.jpeg > 0 ? `${formatCount(profile.types.jpeg)} JPEG` : ''].filter(Boolean);
  return [
    renderTable(['class', 'images'], profile.classes.map((c) => [clip(c.name), formatCount(c.count)])),
    '',
    `${size(profile.width)} x ${size(profile.height)} pixels (width x height) · ${profile.color} · ${types.join(', ')} · ${profile.archive}`,
  ].join('\n');
}

/** A row per column: its inferred type, missing cells and statistics. */
export function columnsTable(columns: ColumnProfile[]): string {
  return renderTable(
    ['column', 'type', 'missing', 'summary'],
    columns.map((c) => [clip(c.name), c.type, formatCount(c.missing), columnSummary(c)]),
  );
}

/** The first rows as the file has them; a missing cell shows as `-`. Wide tables show their first columns. */
export function previewTable(names: string[], rows: Cell[][], limit: number): string {
  const shown = names.slice(0, PREVIEW_COLUMNS);
  const table = renderTable(
    shown.map(clip),
    rows.slice(0, limit).map((row) => shown.map((_, c) => cellText(row[c] ?? null))),
  );
  const hidden = names.length - shown.length;
  return hidden > 0 ? `${table}\n(${hidden} more column${hidden === 1 ? '' : 's'} not shown; --json has them all)` : table;
}

/** `trainyard dataset show name@version`: the version, its columns and its first rows. */
export function describeVersion(version: DatasetVersionDetail, previewRows: number): string {
  const { profile } = version;
  const lines = [
    `${refOf(version)}  ${describeVersionHead(version)}`,
    `created ${version.createdAt} · used by ${plural(version.runs, 'run')}`,
    '',
    contentTable(profile),
  ];
  if (profile.format !== 'images' && profile.preview.length > 0) {
    const n = Math.min(previewRows, profile.preview.length);
    lines.push('', `First ${n} rows:`, previewTable(profile.columns.map((c) => c.name), profile.preview, n));
  }
  return lines.join('\n');
}

/** `trainyard dataset ls`. */
export function datasetsTable(datasets: DatasetView[]): string {
  return renderTable(
    ['name', 'latest', 'versions', 'rows', 'columns', 'size', 'runs', 'created'],
    datasets.map((d) => [d.name, refOf(d.latest), String(d.versions), formatCount(d.latest.rows), String(d.latest.columns), formatBytes(d.latest.size), String(d.runs), d.latest.createdAt]),
  );
}

/** `trainyard dataset show name`: its versions, newest first. */
export function versionsTable(versions: DatasetVersionView[]): string {
  return renderTable(
    ['version', 'rows', 'columns', 'size', 'sha256', 'file', 'runs', 'created'],
    versions.map((v) => [refOf(v), formatCount(v.rows), String(v.columns), formatBytes(v.size), `${v.sha256.slice(0, 12)}…`, v.filename ?? '-', String(v.runs), v.createdAt]),
  );
}

function cellText(cell: Cell): string {
  if (cell === null) return '-';
  return clip(typeof cell === 'number' ? String(Number(cell.toPrecision(6))) : cell);
}

/** One line, at most CELL_WIDTH characters: a table cell never breaks the table. */
function clip(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > CELL_WIDTH ? `${flat.slice(0, CELL_WIDTH - 1)}…` : flat;
}

/** `1900`, `25000` as `25,000`, `71.23`: groups only where they help (not in years). */
function shortNumber(value: number): string {
  if (Number.isInteger(value)) return Math.abs(value) >= 10_000 ? formatCount(value) : String(value);
  return String(Number(value.toPrecision(4)));
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nouns}`;
}
