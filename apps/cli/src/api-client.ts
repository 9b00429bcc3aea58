import {
  ApiClient as ContractClient,
  ApiRequestError,
  type ApiErrorBody,
  type ApiRoutes,
  type CancelResponse,
  type EpochListResponse,
  type JsonValue,
  type ModelFileName,
  type PredictResponse,
  type QueueResponse,
  type RouteInput,
  type RouteName,
  type RouteOutput,
  type RunDetailView,
  type RunListResponse,
  type SubmissionResponse,
} from '@trainyard/contract';

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

/** The `trainyard` commands' view of the HTTP API: the contract's typed client, with the CLI's messages. */
export class ApiClient {
  private readonly client: ContractClient;

  /** `token`: TRAINYARD_API_TOKEN, sent as `Authorization: Bearer` on every request, reads included. */
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {
    this.client = new ContractClient(baseUrl, (url, init) => {
      const headers = { ...init.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
      return fetch(url, { ...init, headers });
    });
  }

  submit(body: JsonValue): Promise<SubmissionResponse> {
    return this.call('submit', { body });
  }

  listRuns(query: RouteInput<ApiRoutes['listRuns']>['query']): Promise<RunListResponse> {
    return this.call('listRuns', { query });
  }

  getRun(id: string): Promise<RunDetailView> {
    return this.call('getRun', { params: { id } });
  }

  epochs(id: string): Promise<EpochListResponse> {
    return this.call('listEpochs', { params: { id } });
  }

  cancel(id: string): Promise<CancelResponse> {
    return this.call('cancel', { params: { id } });
  }

  rerun(id: string): Promise<SubmissionResponse> {
    return this.call('rerun', { params: { id } });
  }

  predict(id: string, inputs: number[][]): Promise<PredictResponse> {
    return this.call('predict', { params: { id }, body: { inputs } });
  }

  queue(): Promise<QueueResponse> {
    return this.call('queue', {});
  }

  /** A model file (model.json, weights.bin, preprocessor.json) as bytes. */
  download(id: string, file: ModelFileName): Promise<Uint8Array> {
    return this.call('modelFile', { params: { id, file } });
  }

  private async call<N extends RouteName>(name: N, input: RouteInput<ApiRoutes[N]>): Promise<RouteOutput<ApiRoutes[N]>> {
    try {
      return await this.client.call(name, input);
    } catch (error) {
      if (!(error instanceof ApiRequestError)) {
        throw new ApiError(`the trainyard API is not reachable at ${this.baseUrl}: start it with "npx trainyard up" or set TRAINYARD_URL`, 0);
      }
      if (error.status === 401) throw new ApiError(unauthorizedMessage(this.baseUrl, this.token !== undefined), 401, error.body);
      throw new ApiError(error.message, error.status, error.body);
    }
  }
}

/** What to do about a 401: the variable to set, or that its value is not this server's token. */
export function unauthorizedMessage(baseUrl: string, tokenGiven: boolean): string {
  return tokenGiven
    ? `the trainyard API at ${baseUrl} did not accept TRAINYARD_API_TOKEN: set it to the server's token`
    : `the trainyard API at ${baseUrl} needs its API token: set TRAINYARD_API_TOKEN to the server's token`;
}
