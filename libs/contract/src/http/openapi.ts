import { z } from 'zod';
import { apiErrorBodySchema } from './api-contract.js';
import { API_ROUTES, type RouteSpec } from './routes.js';

type JsonSchema = Record<string, unknown>;

/**
 * Converts the contract's schemas to JSON Schema for one document, gathering the definitions
 * they share (a JSON value refers to itself) under components.schemas, where refs can reach
 * them from anywhere in the document.
 */
class SchemaWriter {
  readonly components: Record<string, JsonSchema> = {};
  private count = 0;

  write(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    // `unrepresentable: 'any'`: a transform (a sort string read into an object) is described by
    // its input in requests; what cannot be said in JSON Schema at all becomes {}.
    const { $schema: _dialect, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    const id = ++this.count;
    const rename = (name: string): string => `s${id}_${name}`;
    const fix = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(fix);
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) =>
          key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/')
            ? [key, `#/components/schemas/${rename(value.slice('#/$defs/'.length))}`]
            : [key, fix(value)],
        ),
      );
    };
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, unknown>)) this.components[rename(name)] = fix(definition) as JsonSchema;
    return fix(rest) as JsonSchema;
  }
}

/** One OpenAPI parameter per field of a params or query object schema. */
function parameters(writer: SchemaWriter, schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const described = writer.write(schema, 'input');
  const properties = (described.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((described.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    // Lists travel comma-separated: ?status=FAILED,CANCELLED.
    ...(property.type === 'array' ? { style: 'form', explode: false } : {}),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function successContent(writer: SchemaWriter, route: RouteSpec): JsonSchema | undefined {
  if (route.response === null) return undefined;
  if ('raw' in route.response) return { [route.response.raw]: { schema: {} } };
  return { 'application/json': { schema: writer.write(route.response, 'output') } };
}

/**
 * The OpenAPI 3.1 document of the API, generated from API_ROUTES: every route, its path and
 * query parameters, its request body and its answers (the success one, and the error body
 * every 4xx and 5xx has). GET /api/openapi.json serves it.
 */
export function openApiDocument(version: string): JsonSchema {
  const writer = new SchemaWriter();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const error = { content: { 'application/json': { schema: writer.write(apiErrorBodySchema, 'output') } } };
  for (const [name, route] of Object.entries(API_ROUTES) as [string, RouteSpec][]) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const content = successContent(writer, route);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: name,
      summary: route.summary,
      parameters: [...parameters(writer, route.params, 'path'), ...parameters(writer, route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: writer.write(route.body, 'input') } } } } : {}),
      // An upload: the file itself, in any of its media types.
      ...(route.upload ? { requestBody: { required: true, content: Object.fromEntries(route.upload.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) } } : {}),
      responses: {
        [String(route.status)]: { description: route.summary, ...(content ? { content } : {}) },
        '4XX': { description: 'The request is refused; `issues` names each field', ...error },
        '5XX': { description: 'The server could not answer; the message says where its log has the cause', ...error },
      },
      ...(route.public ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'trainyard',
      version,
      description: 'Keras-style neural-network experiments: submit definitions and sweeps, follow runs, fetch trained models.',
    },
    components: {
      schemas: writer.components,
      securitySchemes: {
        token: { type: 'http', scheme: 'bearer', description: 'TRAINYARD_API_TOKEN, when the server has one' },
        readCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'trainyard_read_<id>',
          description: 'Set by POST /api/session (its name is derived from the token); authorizes reads only',
        },
      },
    },
    security: [{ token: [] }, { readCookie: [] }],
    paths,
  };
}
