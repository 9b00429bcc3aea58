import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { streamUpload } from './stream-upload.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server on a free port; `handle` answers each request. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handle);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}/upload`;
}

/** An endless body: only an answer from the server can end the upload. */
const endless = (): ReadableStream<Uint8Array> => new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024)) });

describe('streamUpload', () => {
  it('answers as soon as the server refuses, without reading the rest of the body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":{"code":"BODY_TOO_LARGE","message":"too large"}}');
    });
    const response = await streamUpload(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: endless() });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'BODY_TOO_LARGE', message: 'too large' } });
  });

  it('sends the whole body and returns the answer', async () => {
    const url = await serve((req, res) => {
      let size = 0;
      req.on('data', (chunk: Buffer) => (size += chunk.length));
      req.on('end', () => res.writeHead(201, { 'x-type': req.headers['content-type'] ?? '' }).end(JSON.stringify({ size })));
    });
    const body = new Response('a,b\n'.repeat(100_000)).body ?? new ReadableStream<Uint8Array>();
    const response = await streamUpload(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-type')).toBe('text/csv');
    expect(await response.json()).toEqual({ size: 400_000 });
  });

  it('fails like fetch when nothing answers', async () => {
    await expect(streamUpload('http://127.0.0.1:1/upload', { method: 'POST', headers: {}, body: endless() })).rejects.toThrow(/fetch failed/);
  });
});
