import type { RUN_STATUSES } from '@trainyard/experiments/definition';

type RunStatus = (typeof RUN_STATUSES)[number];
import { useCallback, useEffect, useRef } from 'react';

/** As libs/experiments' liveRunEventSchema (queue/run-event-bus.ts), which is Node-side. */
export interface LiveRunEvent {
  runId: string;
  type: 'status' | 'epoch' | 'batch';
  status?: RunStatus;
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  metrics?: Record<string, number>;
  message?: string;
  attempt?: number;
  at: string;
}

/** Live run events from GET /api/events (all runs, or only `runIds`). EventSource reconnects by itself. */
export function useLiveEvents(onEvent: (event: LiveRunEvent) => void, runIds?: string[]): void {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  // '*': every run; '': none (an empty list).
  const key = runIds ? runIds.join(',') : '*';
  useEffect(() => {
    if (key === '') return undefined;
    const source = new EventSource(`/api/events${key === '*' ? '' : `?runs=${encodeURIComponent(key)}`}`);
    source.addEventListener('run', (message) => {
      try {
        handler.current(JSON.parse((message as MessageEvent<string>).data) as LiveRunEvent);
      } catch {
        // A malformed event is dropped; the database stays the record.
      }
    });
    return () => source.close();
  }, [key]);
}

/**
 * Collects items and hands them over as one batch at most `everyMs` after the first: a small
 * model reports hundreds of epochs a second, and drawing each one would stall the page.
 */
export function useBatcher<T>(onBatch: (batch: T[]) => void, everyMs: number): (item: T) => void {
  const handler = useRef(onBatch);
  useEffect(() => {
    handler.current = onBatch;
  });
  const pending = useRef<T[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(
    (item: T) => {
      pending.current.push(item);
      timer.current ??= setTimeout(() => {
        timer.current = undefined;
        const batch = pending.current;
        pending.current = [];
        if (batch.length > 0) handler.current(batch);
      }, everyMs);
    },
    [everyMs],
  );
}
