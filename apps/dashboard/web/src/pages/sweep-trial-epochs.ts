import type { EpochView, RunStatus, SweepTrialView } from '@trainyard/contract';
import { useEffect, useRef, useState } from 'react';
import { errorText, read } from '../api.js';

/** Reads at a time: the browser opens 6 connections to a host, and the live stream holds one. */
const PARALLEL_READS = 4;

export interface TrialEpochs {
  /** Run id -> its epochs, for the trials read so far. */
  epochs: ReadonlyMap<string, EpochView[]>;
  /** The last failed read, if any (tried again on the next refresh of the sweep). */
  error: string | undefined;
}

/** Calls `work` on every item, at most `limit` at a time; settles when all have. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * The epochs of `trials` through GET /api/runs/:id/epochs. A trial is read when it has started and
 * again when its status changes; a running one on every new `trials` (each refresh of the sweep).
 * A finished trial's epochs do not change, so they are read once.
 */
export function useTrialEpochs(trials: readonly SweepTrialView[]): TrialEpochs {
  const [state, setState] = useState<TrialEpochs>({ epochs: new Map(), error: undefined });
  /** The status each trial had when it was last read (or is being read). */
  const readAt = useRef(new Map<string, RunStatus>());
  const reading = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    const due = trials.filter((t) => t.status !== 'QUEUED' && !reading.current.has(t.runId) && (t.status === 'RUNNING' || readAt.current.get(t.runId) !== t.status));
    if (due.length === 0) return;
    for (const t of due) {
      readAt.current.set(t.runId, t.status);
      reading.current.add(t.runId);
    }
    const answers = new Map<string, EpochView[]>();
    let failed: string | undefined;
    void eachLimited(due, PARALLEL_READS, async (trial) => {
      try {
        answers.set(trial.runId, (await read('listEpochs', { params: { id: trial.runId } })).epochs);
      } catch (error) {
        readAt.current.delete(trial.runId);
        failed = `the epochs of ${trial.name}: ${errorText(error)}`;
      } finally {
        reading.current.delete(trial.runId);
      }
    }).then(() => {
      // One update for the batch: the chart is drawn once, not once per trial.
      if (mounted.current) setState((previous) => ({ epochs: new Map([...previous.epochs, ...answers]), error: failed }));
    });
  }, [trials]);
  return state;
}
