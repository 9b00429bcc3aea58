/*
 * A SharedWorker: one stream of live run events (GET /api/events) for every tab of the
 * dashboard in this browser. A browser keeps at most six HTTP/1.1 connections to one host, and
 * an event stream holds one for as long as it is open, so with a stream per tab the seventh
 * tab would wait for a connection that never frees. Tabs subscribe through a port (all runs,
 * or some) and get each event as the JSON text the server sent.
 *
 * The stream asks the server only for the runs subscribers want (?runs=), unless one wants
 * every run, and closes when the last subscriber leaves. A tab says `leave` when its hook
 * unmounts or its page is hidden (closed, reloaded, put in the back/forward cache), but a tab
 * can also vanish without a word (killed, crashed), so the hub pings every port each PING_MS
 * and drops a subscriber that has not answered since the previous ping. A port's `close`
 * event would say so at once, but not every browser fires it.
 *
 * A worker has no sessionStorage and EventSource sends no header: on a server whose reads need
 * the API token, the stream is authorized by the read cookie (HttpOnly, SameSite=Strict), which
 * a tab makes sure of before it subscribes (readAccess in api.ts, awaited by live.ts).
 */

import { eventsPath, liveRunEventSchema } from '@trainyard/contract';

/** What a tab sends on its port (see live.ts). It answers each ping with its subscription again. */
export type HubMessage = { type: 'subscribe'; runs: string[] | null } | { type: 'leave' };
/** What the hub sends a tab: an event, as the JSON text the server sent, or a ping. */
export type HubReply = string | { type: 'ping' };

/**
 * A tab has between one and two of these to answer a ping. Long enough for a busy or
 * throttled background tab to answer; a tab that left without a word only keeps a few
 * runs' events coming a little longer.
 */
const PING_MS = 15_000;
/** A page mounting several hooks, or a tab reloading, changes the subscriptions in a burst: the stream is reopened once after it. */
const REOPEN_DELAY_MS = 150;
/**
 * A stream the server refused (a 401 once the server's token changed: EventSource does not
 * reconnect after an error status) is opened again after this long; meanwhile a tab's next read
 * asks for the new token and renews the read cookie the stream is authorized by (live.ts).
 */
const REOPEN_REFUSED_MS = 5_000;

interface Subscriber {
  /** null: every run. */
  runs: Set<string> | null;
  answered: boolean;
}

const subscribers = new Map<MessagePort, Subscriber>();
let source: EventSource | undefined;
/** The URL `source` was opened with. */
let sourceUrl: string | undefined;
let reopenTimer: ReturnType<typeof setTimeout> | undefined;

function deliver(data: string): void {
  let parsed: ReturnType<typeof liveRunEventSchema.safeParse>;
  try {
    parsed = liveRunEventSchema.safeParse(JSON.parse(data));
  } catch {
    return; // not JSON: the database stays the record
  }
  if (!parsed.success) return; // not an event of the contract
  const { runId } = parsed.data;
  for (const [port, { runs }] of subscribers) if (!runs || runs.has(runId)) port.postMessage(data);
}

/** The stream the subscribers need: none, every run, or the union of the runs they want. */
function wantedUrl(): string | undefined {
  const union = new Set<string>();
  for (const { runs } of subscribers.values()) {
    if (!runs) return eventsPath(null);
    for (const id of runs) union.add(id);
  }
  if (union.size === 0) return undefined;
  // Sorted, so that the same runs give the same URL and the stream is not reopened. More than
  // ?runs= takes gives every run's events, filtered here.
  return eventsPath([...union].sort());
}

/**
 * Reopens the stream when the subscribers need another one. Events published between closing
 * one stream and opening the next are missed; the pages read the record again now and then.
 * EventSource reconnects by itself.
 */
function updateSource(): void {
  reopenTimer = undefined;
  const url = wantedUrl();
  if (url === sourceUrl) return;
  source?.close();
  source = url === undefined ? undefined : new EventSource(url);
  source?.addEventListener('run', (message) => deliver((message as MessageEvent<string>).data));
  const opened = source;
  opened?.addEventListener('error', () => {
    if (opened.readyState !== EventSource.CLOSED || opened !== source) return;
    // Forget it, so that the next update (this one, or a subscription change) opens a new one.
    source = undefined;
    sourceUrl = undefined;
    reopenTimer ??= setTimeout(updateSource, REOPEN_REFUSED_MS);
  });
  sourceUrl = url;
}

function subscriptionsChanged(): void {
  reopenTimer ??= setTimeout(updateSource, REOPEN_DELAY_MS);
}

function drop(port: MessagePort): void {
  if (subscribers.delete(port)) subscriptionsChanged();
}

setInterval(() => {
  for (const [port, subscriber] of subscribers) {
    if (!subscriber.answered) {
      drop(port);
      continue;
    }
    subscriber.answered = false;
    port.postMessage({ type: 'ping' } satisfies HubReply);
  }
}, PING_MS);

// The DOM lib types `self` as a Window; in a SharedWorker it has onconnect.
const scope = self as unknown as { onconnect: ((event: MessageEvent) => void) | null };
scope.onconnect = (event) => {
  const [port] = event.ports;
  if (!port) return;
  port.onmessage = (message: MessageEvent<HubMessage>) => {
    const data = message.data;
    if (data.type === 'leave') return drop(port);
    subscribers.set(port, { runs: data.runs ? new Set(data.runs) : null, answered: true });
    subscriptionsChanged();
  };
  port.addEventListener('close', () => drop(port));
};
