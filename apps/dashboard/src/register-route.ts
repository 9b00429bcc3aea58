import { API_ROUTES, type ApiRoutes, type RouteName, type RouteParsed, type RouteSpec } from '@trainyard/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { acceptRawUploads, uploadStream, type UploadStream } from './upload-body.js';

/** What a JSON route's handler returns: its answer before serialization (the schema's input). */
type JsonAnswer<R extends RouteSpec> = R['response'] extends z.ZodType ? z.input<R['response']> : never;

/** An upload route's handler also gets the file's bytes, streamed and limited (see uploadStream). */
type UploadParsed<R> = R extends { upload: readonly string[] } ? { upload: UploadStream } : unknown;

export type RouteHandler<N extends RouteName> = (
  input: RouteParsed<ApiRoutes[N]> & UploadParsed<ApiRoutes[N]>,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<ApiRoutes[N]['response'] extends z.ZodType ? JsonAnswer<ApiRoutes[N]> : FastifyReply | void>;

export interface RouteOptions {
  /** Upload routes: the largest file taken (413 past it). */
  maxUploadBytes?: number;
}

/**
 * Registers one route of the contract's table (API_ROUTES): its params, query and body are
 * parsed with the route's schemas before the handler runs (a ZodError is a 400 naming the
 * field), and a JSON answer is serialized through the route's response schema, which drops
 * any field the contract does not name. Routes whose answer is a file, a stream or nothing
 * reply through `reply` themselves. An upload route (`upload` media types) gets its body as a
 * stream, never parsed nor buffered, limited to `maxUploadBytes`; any other media type is a 415.
 */
export function registerRoute<N extends RouteName>(app: FastifyInstance, name: N, handler: RouteHandler<N>, options: RouteOptions = {}): void {
  const route: RouteSpec = API_ROUTES[name];
  const upload = route.upload;
  if (upload === undefined) {
    app.route({ method: route.method, url: route.path, handler: (request, reply) => handle(name, route, handler, request, reply) });
    return;
  }
  const limit = options.maxUploadBytes;
  if (limit === undefined) throw new Error(`${name}: an upload route needs maxUploadBytes`);
  // A plugin of its own: the raw parser for the upload's media types applies to this route only.
  void app.register(async (scope) => {
    acceptRawUploads(scope, upload);
    scope.route({
      method: route.method,
      url: route.path,
      bodyLimit: limit,
      handler: async (request, reply) => {
        try {
          return await handle(name, route, handler, request, reply, { upload: uploadStream(request, limit) });
        } catch (error) {
          // The client went away mid-upload (whatever the use case made of the stream's error):
          // nothing to answer, nothing kept; the request's log line says `aborted`.
          if (request.raw.errored !== null || request.raw.socket.destroyed) {
            request.log.info({ url: request.url, reason: error instanceof Error ? error.message : String(error) }, 'upload aborted by the client');
            return reply.hijack();
          }
          // A refused body's rest is read and dropped meanwhile (see uploadStream): the client reads the answer.
          throw error;
        }
      },
    });
  });
}

/** Parses the input, runs the handler and serializes its JSON answer through the route's schema. */
async function handle<N extends RouteName>(name: N, route: RouteSpec, handler: RouteHandler<N>, request: FastifyRequest, reply: FastifyReply, extra: object = {}): Promise<unknown> {
  const input = {
    ...(route.params ? { params: route.params.parse(request.params) } : {}),
    ...(route.query ? { query: route.query.parse(request.query) } : {}),
    ...(route.body ? { body: route.body.parse(request.body) } : {}),
    ...extra,
  } as RouteParsed<ApiRoutes[N]> & UploadParsed<ApiRoutes[N]>;
  const answer = await handler(input, request, reply);
  if (route.response === null || 'raw' in route.response) return answer;
  const serialized = route.response.safeParse(answer);
  // An answer that does not fit its schema is this server's bug: a 500 (logged), not a 400.
  if (!serialized.success) throw new Error(`${name}: the answer does not fit its schema: ${serialized.error.message}`);
  return reply.code(route.status).send(serialized.data);
}
