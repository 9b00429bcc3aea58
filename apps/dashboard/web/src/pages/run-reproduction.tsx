import { FINAL_STATUSES, type RunDetailView } from '@trainyard/contract';
import { formatNumber } from '../format.js';
import { Link } from '../router.js';

const FINAL = new Set(FINAL_STATUSES);

/**
 * For a rerun, under the run's name: whether it reproduced the run it reruns, in words, with a
 * link to that run. The worker compares every per-epoch metric when the rerun succeeds.
 */
export function ReproductionVerdict({ run }: { run: RunDetailView }) {
  if (!run.reproducesRunId) return null;
  const value = run.reproduction;
  const tone = !value ? 'muted' : value.exact ? 'ok' : 'error';
  return (
    <p className={`verdict ${tone}`} data-testid="reproduction">
      Rerun of <Link to={`/runs/${run.reproducesRunId}`}>{run.reproducesRunId}</Link>: {verdict(run)}
    </p>
  );
}

function verdict(run: RunDetailView): string {
  const value = run.reproduction;
  if (!value) return FINAL.has(run.status) ? 'not checked (the rerun did not succeed)' : 'checked when it has finished';
  if (value.exact) return `reproduced exactly: ${value.epochs} epochs, every metric equal`;
  const what = value.metric ? `${value.metric} differs` : 'one of the two runs has no such epoch';
  return `diverged at epoch ${value.firstDivergentEpoch} (${what}; largest difference ${formatNumber(value.maxAbsDiff)})`;
}
