/*
 * A SharedWorker: one stream of live run events (GET /api/events) for every tab of the
 * dashboard in this browser. A browser keeps at most six HTTP/1.1 connections to one host, and
 * an event stream holds one for as long as it is open, so with a stream per tab the seventh
 * tab would wait for a connection that never frees. Tabs subscribe through a port (all runs,
 * or some) and get each event as the JSON text the server sent; the stream closes when the
 * last subscriber leaves.
 */

/** What a tab sends on its port (see live.ts). */
export type HubMessage = { type: 'subscribe'; runs: string[] | null } | { type: 'leave' };

interface Subscriber {
  port: MessagePort;
  /** null: every run. */
  runs: Set<string> | null;
}

const subscribers = new Set<Subscriber>();
let source: EventSource | undefined;

function deliver(data: string): void {
  let runId: unknown;
  try {
    runId = (JSON.parse(data) as { runId?: unknown }).runId;
  } catch {
    return; // malformed: the database stays the record
  }
  if (typeof runId !== 'string') return;
  for (const subscriber of subscribers) if (!subscriber.runs || subscriber.runs.has(runId)) subscriber.port.postMessage(data);
}

/** Opens the stream while anyone listens, closes it when nobody does. EventSource reconnects by itself. */
function updateSource(): void {
  if (subscribers.size === 0) {
    source?.close();
    source = undefined;
  } else if (!source) {
    source = new EventSource('/api/events');
    source.addEventListener('run', (message) => deliver((message as MessageEvent<string>).data));
  }
}

// The DOM lib types `self` as a Window; in a SharedWorker it has onconnect.
const scope = self as unknown as { onconnect: ((event: MessageEvent) => void) | null };
scope.onconnect = (event) => {
  const [port] = event.ports;
  if (!port) return;
  const subscriber: Subscriber = { port, runs: null };
  port.onmessage = (message: MessageEvent<HubMessage>) => {
    if (message.data.type === 'subscribe') {
      subscriber.runs = message.data.runs ? new Set(message.data.runs) : null;
      subscribers.add(subscriber);
    } else {
      subscribers.delete(subscriber);
      port.close();
    }
    updateSource();
  };
};
