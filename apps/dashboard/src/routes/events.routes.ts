import type { LiveRunEvent } from '@trainyard/experiments';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { registerRoute } from '../register-route.js';

/** A comment line now and then keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/** GET /api/events: live run events (status, epoch, batch) as server-sent events. */
export function eventsRoutes(app: FastifyInstance, deps: AppDeps): void {
  // A stream never ends by itself: closing the server ends the open ones, or close() would wait
  // for every tab to go away.
  const open = new Set<NodeJS.WritableStream>();
  app.addHook('preClose', async () => {
    for (const out of open) out.end();
  });
  registerRoute(app, 'events', async ({ query: { runs } }, request, reply) => {
    // An empty `?runs=` means every run, as an absent one does.
    const wanted = runs && runs.length > 0 ? new Set(runs) : undefined;
    reply.hijack();
    const out = reply.raw;
    // The JSON text as published (one line: RunEventBus.publish writes JSON.stringify's), not
    // serialized again for every open stream.
    const send = (event: LiveRunEvent, raw: string): void => {
      if (!wanted || wanted.has(event.runId)) out.write(`event: run\ndata: ${raw}\n\n`);
    };
    // The head first: an event can arrive as soon as the subscription exists, before the code
    // after the await runs, and its write would send a default head of its own.
    out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // Subscribed before ": connected": a client that saw it misses nothing after it.
    let unsubscribe: () => Promise<void>;
    try {
      unsubscribe = await deps.bus.subscribe(send);
    } catch (error) {
      out.end(); // Redis is away: the client's EventSource reconnects; the error is logged with the request
      throw error;
    }
    out.write(': connected\n\n');
    open.add(out);
    const keepalive = setInterval(() => out.write(': keepalive\n\n'), KEEPALIVE_MS);
    request.raw.on('close', () => {
      open.delete(out);
      clearInterval(keepalive);
      void unsubscribe();
    });
  });
}
