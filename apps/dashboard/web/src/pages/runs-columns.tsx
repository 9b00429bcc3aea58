import { useCallback, useState } from 'react';
import { z } from 'zod';

/** A column of the runs table a user can hide; the checkbox and name columns always show. */
export interface RunsColumn {
  /** `sweep`, `param:optimizer.learningRate`, `metric:mae`, ... (kept in localStorage when hidden). */
  id: string;
  kind: 'sweep' | 'dataset' | 'status' | 'param' | 'metric' | 'backend' | 'start' | 'duration';
  /** The header's text. */
  label: string;
  /** The header's tooltip: a parameter's whole field path. */
  title?: string;
  /** The parameter's field path or the metric's name. */
  key?: string;
  /**
   * Its width in px; with `grow`, its least width, and it takes that share (fr) of the room left.
   * Every row is a grid of its own: no track may depend on its content, or the columns would not line up.
   */
  width: number;
  grow?: number;
}

/** The columns, in the order the table shows them: the varied parameters before the test metrics. */
export function runsColumns(paramPaths: readonly string[], metricNames: readonly string[], short: ReadonlyMap<string, string>): RunsColumn[] {
  return [
    { id: 'sweep', kind: 'sweep', label: 'sweep', width: 140, grow: 1 },
    { id: 'dataset', kind: 'dataset', label: 'dataset', width: 150 },
    { id: 'status', kind: 'status', label: 'status', width: 300, grow: 1.5 },
    ...paramPaths.map((path): RunsColumn => ({ id: `param:${path}`, kind: 'param', label: short.get(path) ?? path, title: path, key: path, width: labelWidth(short.get(path) ?? path) })),
    ...metricNames.map((name): RunsColumn => ({ id: `metric:${name}`, kind: 'metric', label: `test ${name}`, key: name, width: 104 })),
    { id: 'backend', kind: 'backend', label: 'backend', width: 70 },
    { id: 'start', kind: 'start', label: 'start', width: 190 },
    { id: 'duration', kind: 'duration', label: 'duration', width: 90 },
  ];
}

/** Room for a parameter's header (bold, about 9 px a character) and at least a short number. */
function labelWidth(label: string): number {
  return Math.min(220, Math.max(80, label.length * 9 + 24));
}

/** The fixed columns before them: the checkbox and the run's name. */
const LEAD: readonly Pick<RunsColumn, 'width' | 'grow'>[] = [{ width: 32 }, { width: 340, grow: 2.5 }];

/**
 * The grid tracks of the header and of every row, and the least width of the table. The header and
 * the rows are given that same width (at least), so the room left over is shared out the same way in
 * each and their columns line up also when the table is wider than the page.
 */
export function gridOf(shown: readonly RunsColumn[]): { template: string; minWidth: number } {
  const all = [...LEAD, ...shown];
  const template = all.map((c) => (c.grow ? `minmax(${c.width}px, ${c.grow}fr)` : `${c.width}px`)).join(' ');
  return { template, minWidth: all.reduce((sum, c) => sum + c.width, 0) };
}

const STORAGE_KEY = 'trainyard.runs.hiddenColumns';
const hiddenSchema = z.array(z.string());

/** The hidden columns' ids as saved; nothing hidden when there is nothing (or nothing readable) saved. */
function readHidden(): Set<string> {
  try {
    const parsed = hiddenSchema.safeParse(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]'));
    return new Set(parsed.success ? parsed.data : []);
  } catch {
    return new Set(); // not JSON, or storage blocked: every column shows
  }
}

/**
 * Which columns the user hid, remembered in localStorage. Hidden ones are kept (not the shown
 * ones), so a parameter or metric column that appears later shows until it is hidden.
 */
export function useHiddenColumns(): [Set<string>, (id: string, shown: boolean) => void] {
  const [hidden, setHidden] = useState(readHidden);
  const setShown = useCallback((id: string, shown: boolean) => {
    setHidden((old) => {
      const next = new Set(old);
      if (shown) next.delete(id);
      else next.add(id);
      try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify([...next]));
      } catch {
        // Storage full or blocked: the choice holds until the page is reloaded.
      }
      return next;
    });
  }, []);
  return [hidden, setShown];
}

/**
 * The "Columns" menu: a checkbox per column, ticked when it shows. Its checkboxes are in the page
 * only while it is open, so that their labels (`sweep`, `dataset`) do not also name the filters' fields.
 */
export function ColumnPicker({ columns, hidden, onChange }: { columns: readonly RunsColumn[]; hidden: ReadonlySet<string>; onChange: (id: string, shown: boolean) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="column-picker" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Columns ({columns.filter((c) => !hidden.has(c.id)).length}/{columns.length})
      </summary>
      {open && (
        <fieldset>
          <legend>show columns</legend>
          {columns.map((column) => (
            <label key={column.id} title={column.title}>
              <input type="checkbox" checked={!hidden.has(column.id)} onChange={(e) => onChange(column.id, e.target.checked)} /> {column.label}
            </label>
          ))}
        </fieldset>
      )}
    </details>
  );
}
