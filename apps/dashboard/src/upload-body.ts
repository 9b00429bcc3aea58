import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './http-errors.js';

/** A file being uploaded, as it arrives: read it once, chunk by chunk. */
export type UploadStream = AsyncIterable<Uint8Array>;

/**
 * Lets `scope` (one upload route's own plugin) take bodies of these media types unparsed: the
 * handler gets the request stream itself, nothing is buffered. Every other media type is a 415
 * there (JSON included), and the routes outside the scope never see these types.
 */
export function acceptRawUploads(scope: FastifyInstance, types: readonly string[]): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser([...types], (_request, payload, done) => done(null, payload));
}

export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'BODY_TOO_LARGE', `the upload is larger than this server's limit of ${formatLimit(limit)} (TRAINYARD_MAX_UPLOAD_MB)`);
}

function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/**
 * The upload's bytes, limited to `limit`: a Content-Length over it is refused before a byte is
 * read, and a body without one (chunked) is refused as soon as it passes the limit. The use
 * case reading it (and refusing it too, past the same limit) leaves nothing behind on an error.
 */
export function uploadStream(request: FastifyRequest, limit: number): UploadStream {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const body = request.body as Readable | undefined;
  return {
    async *[Symbol.asyncIterator]() {
      if (body === undefined || body === null) return;
      let seen = 0;
      // Stopping early (past the limit) must not destroy the request, which would reset the
      // connection before the client reads the answer: the rest is read and dropped instead.
      try {
        for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>) {
          seen += chunk.byteLength;
          if (seen > limit) throw tooLarge(limit);
          yield chunk;
        }
      } finally {
        if (!body.readableEnded) drain(body);
      }
    },
  };
}

/** Bytes of a refused body read and dropped before the connection is closed on its sender. */
export const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

/** Reads the rest of a body nobody wants, up to MAX_DRAIN_BYTES, then closes the connection. */
function drain(body: Readable): void {
  let dropped = 0;
  body.on('data', (chunk: Uint8Array) => {
    dropped += chunk.byteLength;
    if (dropped > MAX_DRAIN_BYTES) body.destroy();
  });
  body.on('error', () => undefined);
  body.resume();
}
