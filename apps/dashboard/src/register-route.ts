import { API_ROUTES, type ApiRoutes, type RouteName, type RouteParsed, type RouteSpec } from '@trainyard/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** What a JSON route's handler returns: its answer before serialization (the schema's input). */
type JsonAnswer<R extends RouteSpec> = R['response'] extends z.ZodType ? z.input<R['response']> : never;

export type RouteHandler<N extends RouteName> = (
  input: RouteParsed<ApiRoutes[N]>,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<ApiRoutes[N]['response'] extends z.ZodType ? JsonAnswer<ApiRoutes[N]> : FastifyReply | void>;

/**
 * Registers one route of the contract's table (API_ROUTES): its params, query and body are
 * parsed with the route's schemas before the handler runs (a ZodError is a 400 naming the
 * field), and a JSON answer is serialized through the route's response schema, which drops
 * any field the contract does not name. Routes whose answer is a file, a stream or nothing
 * reply through `reply` themselves.
 */
export function registerRoute<N extends RouteName>(app: FastifyInstance, name: N, handler: RouteHandler<N>): void {
  const route: RouteSpec = API_ROUTES[name];
  app.route({
    method: route.method,
    url: route.path,
    handler: async (request, reply) => {
      const input = {
        ...(route.params ? { params: route.params.parse(request.params) } : {}),
        ...(route.query ? { query: route.query.parse(request.query) } : {}),
        ...(route.body ? { body: route.body.parse(request.body) } : {}),
      } as RouteParsed<ApiRoutes[N]>;
      const answer = await handler(input, request, reply);
      if (route.response === null || 'raw' in route.response) return answer;
      const serialized = route.response.safeParse(answer);
      // An answer that does not fit its schema is this server's bug: a 500 (logged), not a 400.
      if (!serialized.success) throw new Error(`${name}: the answer does not fit its schema: ${serialized.error.message}`);
      return reply.code(route.status).send(serialized.data);
    },
  });
}
