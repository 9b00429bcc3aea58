import type { ApiErrorBody, EpochListResponse, PredictResponse, QueueResponse, RunDetailView, RunListResponse, RunView, SubmissionResponse } from '@trainyard/experiments';

/** An API answer that is not 2xx, or no answer at all. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body?: ApiErrorBody,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The error's message, then each field problem the API named, one per line. */
export function describeApiError(error: ApiError): string {
  const issues = error.body?.error.issues ?? [];
  return [error.message, ...issues.map((i) => `${i.path}: ${i.message}`)].join('\n');
}

/** The `trainyard` commands' view of the HTTP API (apps/dashboard). */
export class ApiClient {
  /** `token`: TRAINYARD_API_TOKEN, sent as `Authorization: Bearer` on every request, reads included. */
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  submit(body: unknown): Promise<SubmissionResponse> {
    return this.request('POST', '/api/experiments', body) as Promise<SubmissionResponse>;
  }

  listRuns(query: Record<string, string | undefined>): Promise<RunListResponse> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    return this.request('GET', `/api/runs?${params}`) as Promise<RunListResponse>;
  }

  getRun(id: string): Promise<RunDetailView> {
    return this.request('GET', `/api/runs/${encodeURIComponent(id)}`) as Promise<RunDetailView>;
  }

  epochs(id: string): Promise<EpochListResponse> {
    return this.request('GET', `/api/runs/${encodeURIComponent(id)}/epochs`) as Promise<EpochListResponse>;
  }

  cancel(id: string): Promise<Pick<RunView, 'id' | 'status'>> {
    return this.request('POST', `/api/runs/${encodeURIComponent(id)}/cancel`) as Promise<Pick<RunView, 'id' | 'status'>>;
  }

  rerun(id: string): Promise<SubmissionResponse> {
    return this.request('POST', `/api/runs/${encodeURIComponent(id)}/rerun`) as Promise<SubmissionResponse>;
  }

  predict(id: string, inputs: number[][]): Promise<PredictResponse> {
    return this.request('POST', `/api/runs/${encodeURIComponent(id)}/predict`, { inputs }) as Promise<PredictResponse>;
  }

  queue(): Promise<QueueResponse> {
    return this.request('GET', '/api/queue') as Promise<QueueResponse>;
  }

  /** A model file (model.json, weights.bin, preprocessor.json) as bytes. */
  async download(id: string, file: string): Promise<Uint8Array> {
    const response = await this.fetch('GET', `/api/runs/${encodeURIComponent(id)}/model/${file}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetch(method, path, body);
    return response.json();
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError(`the trainyard API is not reachable at ${this.baseUrl}: start it with "npx trainyard up" or set TRAINYARD_URL`, 0);
    }
    if (response.ok) return response;
    const error = (await response.json().catch(() => undefined)) as ApiErrorBody | undefined;
    if (response.status === 401) throw new ApiError(unauthorizedMessage(this.baseUrl, this.token !== undefined), 401, error);
    throw new ApiError(error?.error.message ?? `${method} ${path} answered ${response.status}`, response.status, error);
  }
}

/** What to do about a 401: the variable to set, or that its value is not this server's token. */
export function unauthorizedMessage(baseUrl: string, tokenGiven: boolean): string {
  return tokenGiven
    ? `the trainyard API at ${baseUrl} did not accept TRAINYARD_API_TOKEN: set it to the server's token`
    : `the trainyard API at ${baseUrl} needs its API token: set TRAINYARD_API_TOKEN to the server's token`;
}
