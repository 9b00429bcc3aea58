import {
  compareMetricNames,
  FINAL_STATUSES,
  MAX_PAGE_SIZE,
  RUN_STATUSES,
  shortParamNames,
  type RunView,
  type SweepListItemView,
} from '@trainyard/contract';
import { useCallback, useEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import { change, errorText, read } from '../api.js';
import { formatColumn } from '../format.js';
import { useBatcher, useLiveEvents, type LiveRunEvent } from '../live.js';
import { navigate, setQuery } from '../router.js';
import { ColumnPicker, gridOf, runsColumns, useHiddenColumns, type RunsColumn } from './runs-columns.js';
import { RunRow, type LiveRun } from './runs-row.js';

const ROW_HEIGHT = 32;
const OVERSCAN = 10;
const FLUSH_MS = 250;
/** How often the first page is read again, so runs submitted from anywhere appear without a reload. */
const HEAD_REFRESH_MS = 3_000;
const FILTERS = ['status', 'name', 'dataset', 'sweep', 'sort'] as const;

/** `/`: every run, newest first by default; filters and sort live in the URL. */
export function RunsPage({ query }: { query: URLSearchParams }) {
  const apiQuery = useMemo(() => {
    const params = new URLSearchParams();
    for (const key of FILTERS) {
      const value = query.get(key);
      if (value) params.set(key, value);
    }
    params.set('limit', String(MAX_PAGE_SIZE)); // pages as big as the API gives
    return params.toString();
  }, [query]);
  const [items, setItems] = useState<RunView[]>([]);
  /** The next page's cursor, with the query it belongs to: a cursor of the previous filter is never sent with the new one. */
  const [next, setNext] = useState<{ query: string; cursor: string | null } | undefined>();
  const upToDate = next?.query === apiQuery;
  const cursor = upToDate ? next.cursor : null;
  const loading = useRef(false);
  const [error, setError] = useState<string | undefined>();
  const [live, setLive] = useState<Record<string, LiveRun>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<string | undefined>();
  const generation = useRef(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const box = useRef<HTMLDivElement>(null);

  /** The first page (after = null) replaces the list; a later one appends. A newer load makes older answers moot. */
  const load = useCallback(
    (after: string | null) => {
      const mine = ++generation.current;
      loading.current = true;
      return read('listRuns', { query: { ...Object.fromEntries(new URLSearchParams(apiQuery)), ...(after ? { cursor: after } : {}) } })
        .then(
          (page) => {
            if (mine !== generation.current) return;
            setItems((old) => (after ? [...old, ...page.items] : page.items));
            setNext({ query: apiQuery, cursor: page.nextCursor });
            setError(undefined);
          },
          (e: unknown) => {
            if (mine === generation.current) setError(errorText(e));
          },
        )
        .finally(() => {
          if (mine === generation.current) loading.current = false;
        });
    },
    [apiQuery],
  );

  // A new filter or order starts at its first row: a table left scrolled to the end would never ask for the next page.
  // (The scroll event this fires sets scrollTop.)
  useEffect(() => {
    if (box.current) box.current.scrollTop = 0;
    void load(null);
  }, [load]);

  /**
   * Runs submitted elsewhere (the CLI, another browser) appear without a reload: the first
   * page is read again now and then, and at once when a live event names a run the table
   * has not loaded. New runs go on top when the table is in the default newest-first order;
   * in any other order only the rows already shown are updated until the next reload.
   */
  const known = useRef(new Set<string>());
  /** Runs whose live events already made the first page be read again. */
  const asked = useRef(new Set<string>());
  useEffect(() => {
    known.current = new Set(items.map((r) => r.id));
  }, [items]);
  const refreshHead = useCallback(async () => {
    try {
      const page = await read('listRuns', { query: Object.fromEntries(new URLSearchParams(apiQuery)) });
      const newestFirst = !query.get('sort') || query.get('sort') === '-queuedAt';
      setItems((old) => {
        const fresh = new Map(page.items.map((r) => [r.id, r]));
        const present = new Set(old.map((r) => r.id));
        const added = newestFirst ? page.items.filter((r) => !present.has(r.id)) : [];
        // A row that did not change keeps its object, so its memoized row is not rendered again.
        const changed = (r: RunView): RunView => {
          const now = fresh.get(r.id);
          return now && JSON.stringify(now) !== JSON.stringify(r) ? now : r;
        };
        const rows = old.map(changed);
        // Nothing new: the same array, so the page does not render (nor rescan every loaded run) again.
        return added.length === 0 && rows.every((r, i) => r === old[i]) ? old : [...added, ...rows];
      });
    } catch {
      // The next refresh tries again.
    }
  }, [apiQuery, query]);
  useEffect(() => {
    const timer = setInterval(() => void refreshHead(), HEAD_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refreshHead]);

  /** Rows of runs that just finished, read again in one request (their test metrics, duration and error). */
  const refreshRows = useCallback(async (ids: string[]) => {
    try {
      const page = await read('listRuns', { query: { ids: ids.join(','), limit: MAX_PAGE_SIZE } });
      const fresh = new Map(page.items.map((r) => [r.id, r]));
      setItems((old) => old.map((r) => fresh.get(r.id) ?? r));
    } catch {
      // The live overlay still shows the status.
    }
  }, []);

  // Live events arrive up to hundreds a second; they are applied in batches, at most FLUSH_MS apart.
  const flush = useCallback((batch: LiveRunEvent[]) => {
    setLive((old) => {
      let next = old;
      for (const event of batch) {
        const was = next[event.runId];
        const state: LiveRun = { ...was };
        if (event.status) state.status = event.status;
        if (event.type === 'epoch' && event.epoch !== undefined) state.epoch = event.epoch;
        if (event.epochs !== undefined) state.epochs = event.epochs;
        // A run whose shown state did not change (a batch-progress event) keeps its object, so its row is not rendered again.
        if (was && state.status === was.status && state.epoch === was.epoch && state.epochs === was.epochs) continue;
        if (next === old) next = { ...old };
        next[event.runId] = state;
      }
      return next;
    });
    const finished = batch.filter((event) => event.type === 'status' && event.status && FINAL_STATUSES.includes(event.status) && known.current.has(event.runId));
    const ids = [...new Set(finished.map((event) => event.runId))];
    for (let at = 0; at < ids.length; at += MAX_PAGE_SIZE) void refreshRows(ids.slice(at, at + MAX_PAGE_SIZE));
    // Once per run: a run this filter or order never shows would otherwise re-read the page with every batch.
    const unknown = batch.filter((event) => !known.current.has(event.runId) && !asked.current.has(event.runId));
    for (const event of unknown) asked.current.add(event.runId);
    if (unknown.length > 0) void refreshHead();
  }, [refreshRows, refreshHead]);
  useLiveEvents(useBatcher(flush, FLUSH_MS));

  // The same list (by identity) until a metric appears or goes, so the memoized rows keep their props.
  const metricKey = useMemo(() => {
    const names = new Set<string>();
    for (const run of items) for (const name of Object.keys(run.testMetrics ?? {})) names.add(name);
    return [...names].sort(compareMetricNames).join('\n');
  }, [items]);
  const metricNames = useMemo(() => (metricKey ? metricKey.split('\n') : []), [metricKey]);
  // The varied parameters of the sweep trials loaded, in order of first appearance; the same list until one appears or goes.
  const paramKey = useMemo(() => [...new Set(items.flatMap((run) => Object.keys(run.params ?? {})))].join('\n'), [items]);
  const paramNames = useMemo(() => shortParamNames(paramKey ? paramKey.split('\n') : []), [paramKey]);
  const allColumns = useMemo(() => runsColumns([...paramNames.keys()], metricNames, paramNames), [paramNames, metricNames]);
  const [hidden, setShown] = useHiddenColumns();
  const shown = useMemo(() => allColumns.filter((column) => !hidden.has(column.id)), [allColumns, hidden]);
  // Each metric column formatted as one (same notation and decimals down it), over the runs loaded.
  // A row gets its texts as one string (tab-separated, in metricNames' order): a row whose texts did
  // not change gets an equal prop, so its memoized row is not rendered again.
  const metricTexts = useMemo(() => {
    const columns = metricNames.map((name) => formatColumn(items.map((run) => run.testMetrics?.[name])));
    return new Map(items.map((run, i) => [run.id, columns.map((column) => column[i] ?? '—').join('\t')]));
  }, [items, metricNames]);

  // Hand-written windowing: only the rows in view (plus a margin) are in the DOM.
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const onScroll = (event: UIEvent<HTMLDivElement>): void => {
    const element = event.currentTarget;
    setScrollTop(element.scrollTop);
    if (cursor && !loading.current && element.scrollTop + element.clientHeight > element.scrollHeight - ROW_HEIGHT * 20) void load(cursor);
  };

  const sort = query.get('sort') ?? '-queuedAt';
  const sortBy = (key: string): void => {
    const next = sort === `-${key}` ? key : `-${key}`;
    setQuery({ sort: next === '-queuedAt' ? null : next }, { replace: true });
  };
  const arrow = (key: string): string => (sort === key ? ' ▲' : sort === `-${key}` ? ' ▼' : '');
  const { template: columns, minWidth } = useMemo(() => gridOf(shown), [shown]);
  const sortKey = (column: RunsColumn): string | undefined => (column.kind === 'metric' ? `metric:${column.key ?? ''}` : column.kind === 'start' ? 'startedAt' : undefined);

  const toggle = useCallback(
    (id: string): void =>
      setSelected((old) => {
        const next = new Set(old);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const act = async (action: 'cancel' | 'rerun'): Promise<void> => {
    const ids = [...selected];
    const results = await Promise.allSettled(ids.map((id) => change(action, { params: { id } })));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${ids[i]?.slice(0, 8)}: ${errorText(r.reason)}`] : []));
    setMessage(`${action}: ${ids.length - failed.length} of ${ids.length} done${failed.length ? `; ${failed.join('; ')}` : ''}`);
    if (action === 'rerun') void load(null);
  };

  return (
    <>
      <h1>Runs</h1>
      <Filters query={query} />
      <div className="toolbar">
        <button disabled={selected.size < 2 || selected.size > 10} onClick={() => navigate(`/compare?runs=${[...selected].join(',')}`)}>
          Compare ({selected.size})
        </button>
        <button disabled={selected.size === 0} onClick={() => void act('cancel')}>
          Cancel
        </button>
        <button disabled={selected.size === 0} onClick={() => void act('rerun')}>
          Rerun
        </button>
        <span className="muted" data-testid="run-count">
          {upToDate ? `${items.length} run${items.length === 1 ? '' : 's'} loaded${cursor ? ', more on scroll' : ''}` : 'loading…'}
        </span>
        {cursor && (
          <button onClick={() => void load(cursor)}>
            Load more
          </button>
        )}
        {message && <span role="status">{message}</span>}
        <ColumnPicker columns={allColumns} hidden={hidden} onChange={setShown} />
      </div>
      {error && <p className="error">{error}</p>}
      <div className="runs" ref={box} onScroll={onScroll} style={{ height: 'calc(100vh - 230px)', minHeight: 300 }} role="table" aria-label="runs">
        <div className="row head" style={{ gridTemplateColumns: columns, minWidth }} role="row">
          <div />
          <div>
            <button onClick={() => sortBy('name')}>name{arrow('name')}</button>
          </div>
          {shown.map((column) => {
            const key = sortKey(column);
            return (
              <div key={column.id} className={column.kind === 'metric' || column.kind === 'param' ? 'num' : undefined} title={column.title}>
                {key ? (
                  <button onClick={() => sortBy(key)}>
                    {column.label}
                    {arrow(key)}
                  </button>
                ) : (
                  column.label
                )}
              </div>
            );
          })}
        </div>
        <div style={{ height: items.length * ROW_HEIGHT, position: 'relative', minWidth }}>
          {items.slice(first, last).map((run, i) => (
            <RunRow
              key={run.id}
              run={run}
              live={live[run.id]}
              selected={selected.has(run.id)}
              onToggle={toggle}
              template={columns}
              shown={shown}
              metricText={metricTexts.get(run.id) ?? ''}
              metricNames={metricNames}
              paramNames={paramNames}
              top={(first + i) * ROW_HEIGHT}
            />
          ))}
        </div>
      </div>
    </>
  );
}

function Filters({ query }: { query: URLSearchParams }) {
  return (
    <div className="toolbar">
      <StatusFilter value={query.get('status') ?? ''} onChange={(status) => setQuery({ status }, { replace: true })} />
      <TextFilter param="name" value={query.get('name') ?? ''} placeholder="contains" />
      <TextFilter param="dataset" value={query.get('dataset') ?? ''} size={14} />
      <SweepFilter value={query.get('sweep') ?? ''} onChange={(sweep) => setQuery({ sweep }, { replace: true })} />
    </div>
  );
}

/**
 * A text filter kept in the URL as `param`: what is typed goes there 300 ms after the last
 * key, and a URL changed from elsewhere (a link, Back) shows in the box.
 */
function TextFilter({ param, value, size, placeholder }: { param: string; value: string; size?: number; placeholder?: string }) {
  const [text, setText] = useState(value);
  const [urlValue, setUrlValue] = useState(value);
  if (urlValue !== value) {
    setUrlValue(value);
    setText(value);
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onChange = (next: string): void => {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setQuery({ [param]: next }, { replace: true }), 300);
  };
  return (
    <label>
      {param} <input value={text} onChange={(e) => onChange(e.target.value)} size={size} placeholder={placeholder} />
    </label>
  );
}

/** Any number of statuses (none ticked: any), as `status=RUNNING,QUEUED` in the URL. */
function StatusFilter({ value, onChange }: { value: string; onChange: (status: string) => void }) {
  const chosen = new Set(value.split(',').filter(Boolean));
  const toggle = (status: string): void => {
    const next = new Set(chosen);
    if (next.has(status)) next.delete(status);
    else next.add(status);
    onChange(RUN_STATUSES.filter((s) => next.has(s)).join(','));
  };
  return (
    <fieldset className="statuses">
      <legend>status</legend>
      {RUN_STATUSES.map((status) => (
        <label key={status}>
          <input type="checkbox" checked={chosen.has(status)} onChange={() => toggle(status)} /> {status}
        </label>
      ))}
    </fieldset>
  );
}

/** The newest sweeps by name (one page of the sweep list); a sweep from a shared link that is older still shows, by id. */
function SweepFilter({ value, onChange }: { value: string; onChange: (sweep: string) => void }) {
  const [sweeps, setSweeps] = useState<SweepListItemView[]>([]);
  useEffect(() => {
    read('listSweeps', { query: { limit: MAX_PAGE_SIZE } }).then(
      (page) => setSweeps(page.items),
      () => undefined, // the filter still works from the URL
    );
  }, []);
  return (
    <label>
      sweep{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">any</option>
        {value && !sweeps.some((sweep) => sweep.id === value) && <option value={value}>{value}</option>}
        {sweeps.map((sweep) => (
          <option key={sweep.id} value={sweep.id}>
            {sweep.name}
          </option>
        ))}
      </select>
    </label>
  );
}

