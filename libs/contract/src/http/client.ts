import { apiErrorBodySchema, type ApiErrorBody } from './api-contract.js';
import { API_ROUTES, fillPath, type ApiRoutes, type RouteCall, type RouteInput, type RouteName, type RouteOutput, type RouteSpec, type UploadData } from './routes.js';

/** An answer that is not the route's success: its status and, when the server said, the error body. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** How a client sends a request: the global fetch, or one that adds credentials and retries. */
export type FetchLike = (
  url: string,
  /** `duplex: 'half'`: the body is a stream (fetch in Node needs it said). */
  init: { method: string; headers: Record<string, string>; body?: string | UploadData; duplex?: 'half' },
) => Promise<Response>;

type Loose = { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; upload?: { data: UploadData; type: string } };

/** `{status: ['FAILED', 'CANCELLED'], limit: 50}` -> `status=FAILED,CANCELLED&limit=50`; absent values left out. */
function queryString(query: Record<string, unknown> | undefined): string {
  const pairs = Object.entries(query ?? {}).flatMap(([key, value]): [string, string][] => {
    if (value === undefined || value === null) return [];
    return [[key, Array.isArray(value) ? value.map(String).join(',') : String(value)]];
  });
  return pairs.length > 0 ? `?${new URLSearchParams(pairs).toString()}` : '';
}

/**
 * The typed client of the HTTP API, built from API_ROUTES: the CLI and the web UI both use it.
 * Paths and query strings are built from the route table, every JSON answer is parsed with its
 * route's schema (a server that drifts fails here, naming the field), and an error answer
 * becomes an ApiRequestError with the parsed error body.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly send: FetchLike = (url, init) => globalThis.fetch(url, init),
  ) {}

  /** The URL of a route with these params and query (for links, downloads and event streams). */
  url<N extends RouteName>(name: N, input: RouteInput<ApiRoutes[N]>): string {
    const { params, query } = input as Loose;
    return new URL(fillPath(API_ROUTES[name].path, params) + queryString(query), this.baseUrl).toString();
  }

  /** Calls a JSON route and returns its parsed answer. */
  async call<N extends RouteName>(name: N, input: RouteCall<ApiRoutes[N]>): Promise<RouteOutput<ApiRoutes[N]>> {
    const route: RouteSpec = API_ROUTES[name];
    const response = await this.fetch(name, input);
    if (route.response === null) return undefined as RouteOutput<ApiRoutes[N]>;
    if ('raw' in route.response) return new Uint8Array(await response.arrayBuffer()) as RouteOutput<ApiRoutes[N]>;
    const parsed = route.response.safeParse(await response.json());
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).slice(0, 5).join('; ');
      throw new ApiRequestError(response.status, undefined, `${route.method} ${route.path} answered a shape this client does not know: ${where}`);
    }
    return parsed.data as RouteOutput<ApiRoutes[N]>;
  }

  /** Sends the request and returns the success Response; an ApiRequestError for anything else. */
  async fetch<N extends RouteName>(name: N, input: RouteCall<ApiRoutes[N]>): Promise<Response> {
    const route: RouteSpec = API_ROUTES[name];
    const { body, upload } = input as Loose;
    const headers: Record<string, string> = { accept: 'application/json' };
    const init: Parameters<FetchLike>[1] = { method: route.method, headers };
    if (upload !== undefined) {
      headers['content-type'] = upload.type;
      init.body = upload.data;
      if (upload.data instanceof ReadableStream) init.duplex = 'half';
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await this.send(this.url(name, input as RouteInput<ApiRoutes[N]>), init);
    if (response.status === route.status) return response;
    const text = await response.text().catch(() => '');
    let error: ApiErrorBody | undefined;
    try {
      const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
      error = parsed.success ? parsed.data : undefined;
    } catch {
      error = undefined;
    }
    throw new ApiRequestError(response.status, error, error?.error.message ?? `${route.method} ${route.path} answered ${response.status}`);
  }
}

/** The issues of an error answer, one `path: message` per line after its message. */
export function describeRequestError(error: ApiRequestError): string {
  const issues = error.body?.error.issues ?? [];
  return [error.message, ...issues.map((i) => `${i.path}: ${i.message}`)].join('\n');
}
