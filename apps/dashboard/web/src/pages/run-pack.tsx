import { MAX_PAGE_SIZE, type RunDetailView } from '@trainyard/contract';
import { Fragment, useEffect, useState } from 'react';
import { read } from '../api.js';
import { Link } from '../router.js';

/** How a packed run's numbers relate to the same run alone (README, "Packed sweeps"). */
export const PACK_NOTE =
  "Trained together as one computation. On cpu each run's numbers are the ones it has alone; on wasm they can differ from those in the last digits, the same in any pack, and a rerun trains as a pack of one to reproduce them exactly.";

/** A pack of one: a rerun of a packed run, trained through the pack's kernels (ClaimedRun.trainAsPack). */
const PACK_OF_ONE = 'Trained alone through the kernels of a pack, as the packed run it reproduces was, so that its numbers can match bit for bit.';

/** The header's fact: with how many runs this one trained; nothing for a run trained alone. */
export function PackFact({ run }: { run: RunDetailView }) {
  const pack = run.env?.pack;
  if (!pack) return null;
  return (
    <>
      {' · '}
      <span title={pack.size === 1 ? PACK_OF_ONE : PACK_NOTE} data-testid="pack-fact">
        pack of {pack.size}
      </span>
    </>
  );
}

/** The Environment table's row: the pack's size, links to its other runs and what packing means. */
export function PackRow({ run }: { run: RunDetailView }) {
  const pack = run.env?.pack;
  // The worker names the pack's runs only when all of them trained as one (train-run.processor.ts).
  const others = (pack?.runIds ?? []).filter((id) => id !== run.id);
  const names = useRunNames(others);
  if (!pack) return null;
  return (
    <tr data-testid="pack">
      <td>pack</td>
      <td>
        {pack.size === 1 ? <span>Trained as a pack of one</span> : <span title={PACK_NOTE}>Trained in a pack of {pack.size} runs</span>}
        {others.length > 0 && (
          <>
            {' with '}
            {others.map((id, i) => (
              <Fragment key={id}>
                {i > 0 && ', '}
                <Link to={`/runs/${id}`} data-pack-run={id}>
                  {names.get(id) ?? id.slice(0, 8)}
                </Link>
              </Fragment>
            ))}
          </>
        )}
        <br />
        <span className="muted">{pack.size === 1 ? PACK_OF_ONE : PACK_NOTE}</span>
      </td>
    </tr>
  );
}

/**
 * The names of some runs, read once (a record keeps its pack); empty until they arrive. The links
 * work without them, so a failed read leaves the short ids shown and is not worth an error.
 */
function useRunNames(ids: string[]): ReadonlyMap<string, string> {
  // One page at most: a pack bigger than that (WORKER_PACK_SIZE allows 256) shows the rest as short ids.
  const key = ids.slice(0, MAX_PAGE_SIZE).join(',');
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (key === '') return undefined;
    let current = true;
    read('listRuns', { query: { ids: key, limit: MAX_PAGE_SIZE } }).then(
      (page) => current && setNames(new Map(page.items.map((item) => [item.id, item.name]))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [key]);
  return names;
}
