import { eventsPath, liveRunEventSchema, type LiveRunEvent } from '@trainyard/contract';
import { useCallback, useEffect, useRef } from 'react';
import { readAccess } from './api.js';
import type { HubMessage, HubReply } from './live-hub.js';

export type { LiveRunEvent };

/**
 * Live run events from GET /api/events (all runs, or only `runIds`). Every tab shares one
 * stream through a SharedWorker (live-hub.ts), which asks the server only for the runs its
 * subscribers want; where there is no SharedWorker, the tab opens its own, for its own runs.
 * EventSource reconnects by itself after a lost connection.
 *
 * EventSource cannot send an Authorization header: on a server whose reads need the token,
 * the stream is authorized by the read cookie (POST /api/session, HttpOnly, SameSite=Strict),
 * so it opens only once readAccess() has made sure this browser has a valid one. A stream the
 * server refused (a 401 after the server's token changed) is opened again after
 * REOPEN_REFUSED_MS; meanwhile the page's next read asks for the new token and renews the cookie.
 */
export function useLiveEvents(onEvent: (event: LiveRunEvent) => void, runIds?: string[]): void {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  // '*': every run; '': none (an empty list).
  const key = runIds ? runIds.join(',') : '*';
  useEffect(() => {
    if (key === '') return undefined;
    const runs = key === '*' ? null : key.split(',');
    const receive = (data: string): void => {
      let parsed: ReturnType<typeof liveRunEventSchema.safeParse>;
      try {
        parsed = liveRunEventSchema.safeParse(JSON.parse(data));
      } catch {
        return; // not JSON: dropped; the database stays the record
      }
      // An event that does not fit the contract is dropped too.
      if (parsed.success) handler.current(parsed.data);
    };
    let stop: (() => void) | undefined;
    let unmounted = false;
    readAccess().then(
      () => {
        if (!unmounted) stop = typeof SharedWorker === 'function' ? throughHub(runs, receive) : ownStream(runs, receive);
      },
      // No token given (or the server unreachable): the page says so with its reads; no stream.
      () => undefined,
    );
    return () => {
      unmounted = true;
      stop?.();
    };
  }, [key]);
}

function throughHub(runs: string[] | null, receive: (data: string) => void): () => void {
  const hub = new SharedWorker(new URL('./live-hub.ts', import.meta.url), { type: 'module', name: 'trainyard-live' });
  const send = (message: HubMessage): void => hub.port.postMessage(message);
  // React runs no cleanup when a tab closes or reloads: the page leaves when it is hidden, and
  // comes back if the browser shows it again from its back/forward cache.
  let shown = true;
  const hide = (): void => {
    shown = false;
    send({ type: 'leave' });
  };
  const show = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    shown = true;
    send({ type: 'subscribe', runs });
  };
  hub.port.onmessage = (message: MessageEvent<HubReply>) => {
    if (typeof message.data === 'string') receive(message.data);
    else if (shown) send({ type: 'subscribe', runs }); // a ping: still here, still wanting these runs
  };
  addEventListener('pagehide', hide);
  addEventListener('pageshow', show);
  send({ type: 'subscribe', runs });
  return () => {
    removeEventListener('pagehide', hide);
    removeEventListener('pageshow', show);
    send({ type: 'leave' });
    hub.port.close();
  };
}

/**
 * A stream the server answered with an error status (EventSource does not reconnect then) is
 * opened again after this long: a server restarted with another token answers 401 until the
 * page's next read has asked for the new one.
 */
export const REOPEN_REFUSED_MS = 5_000;

function ownStream(runs: string[] | null, receive: (data: string) => void): () => void {
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = (): void => {
    retry = undefined;
    const opened = new EventSource(eventsPath(runs));
    opened.addEventListener('run', (message) => receive((message as MessageEvent<string>).data));
    opened.addEventListener('error', () => {
      if (opened.readyState === EventSource.CLOSED) retry ??= setTimeout(open, REOPEN_REFUSED_MS);
    });
    source = opened;
  };
  open();
  return () => {
    clearTimeout(retry);
    source?.close();
  };
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
