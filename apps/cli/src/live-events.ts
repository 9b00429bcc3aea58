import { eventsPath, liveRunEventSchema, type LiveRunEvent } from '@trainyard/contract';

/**
 * Follows the server-sent events of the given runs until `signal` aborts. Progress only:
 * a lost connection (or a refused one) ends the stream quietly and callers keep polling for
 * final states. `token`: TRAINYARD_API_TOKEN, which a server wants for its event stream as for
 * every read.
 */
export async function followEvents(baseUrl: string, runIds: string[], onEvent: (event: LiveRunEvent) => void, signal: AbortSignal, token?: string): Promise<void> {
  // The server filters up to MAX_EVENT_RUNS ids; a bigger sweep takes every run's events and keeps its own.
  const wanted = new Set(runIds);
  const path = eventsPath(runIds);
  let response: Response;
  try {
    response = await fetch(new URL(path, baseUrl), { signal, headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  } catch {
    return;
  }
  if (!response.ok || !response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (!data) continue;
        // The server relays only events that pass this schema (RunEventBus.subscribe); any other is skipped.
        const parsed = liveRunEventSchema.safeParse(JSON.parse(data));
        if (parsed.success && wanted.has(parsed.data.runId)) onEvent(parsed.data);
      }
    }
  } catch {
    // Aborted or disconnected: the caller's polling decides when runs are done.
  }
}
