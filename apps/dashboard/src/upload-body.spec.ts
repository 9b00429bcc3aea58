import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { contentDisposition } from './routes/datasets.routes.js';
import { uploadStream } from './upload-body.js';

function requestOf(chunks: string[], contentLength?: number): { request: FastifyRequest; body: Readable } {
  const body = Readable.from(chunks.map((c) => Buffer.from(c)), { objectMode: false });
  const headers = contentLength === undefined ? {} : { 'content-length': String(contentLength) };
  return { request: { headers, body } as unknown as FastifyRequest, body };
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += Buffer.from(chunk).toString('utf8');
  return text;
}

describe('uploadStream', () => {
  it('passes the bytes through, chunk by chunk, up to the limit', async () => {
    const { request } = requestOf(['a,b\n', '1,2\n'], 8);
    expect(await readAll(uploadStream(request, 8))).toBe('a,b\n1,2\n');
  });

  it('refuses a declared Content-Length over the limit before reading', () => {
    const { request } = requestOf(['x'], 9);
    expect(() => uploadStream(request, 8)).toThrow(expect.objectContaining({ status: 413, code: 'BODY_TOO_LARGE' }));
  });

  it('refuses a body without Content-Length as soon as it passes the limit, and drops the rest without destroying the request', async () => {
    const { request, body } = requestOf(['a,b\n', '1,2\n', '3,4\n', '5,6\n']);
    await expect(readAll(uploadStream(request, 8))).rejects.toMatchObject({ status: 413 });
    await new Promise((resolve) => body.once('end', resolve));
    expect(body.readableEnded).toBe(true);
  });

  it('is empty without a body', async () => {
    const request = { headers: {}, body: undefined } as unknown as FastifyRequest;
    expect(await readAll(uploadStream(request, 8))).toBe('');
  });
});

describe('contentDisposition', () => {
  it('keeps a plain name, and gives an ASCII fallback plus the exact name in RFC 5987 form otherwise', () => {
    expect(contentDisposition('shop.csv')).toBe(`attachment; filename="shop.csv"; filename*=UTF-8''shop.csv`);
    expect(contentDisposition('prix "été".csv')).toBe(`attachment; filename="prix __t__.csv"; filename*=UTF-8''prix%20%22%C3%A9t%C3%A9%22.csv`);
  });
});
