import {
  ApiClient as ContractClient,
  ApiRequestError,
  type ApiErrorBody,
  type ApiRoutes,
  type CancelResponse,
  type DatasetDetailResponse,
  type DatasetListResponse,
  type DatasetUploadResponse,
  type DatasetVersionDetail,
  type EpochListResponse,
  type JsonValue,
  type ModelFileName,
  type PredictResponse,
  type QueueResponse,
  type RouteCall,
  type RouteInput,
  type RouteName,
  type RouteOutput,
  type RunDetailView,
  type RunListResponse,
  type SubmissionResponse,
  type UploadData,
} from '@trainyard/contract';
import type { Cell } from '@trainyard/data/tables';
import { streamUpload } from './stream-upload.js';

/** The byte count of a streamed upload, for its Content-Length (the contract's client sends the stream as it is). */
const uploadSizes = new WeakMap<ReadableStream<Uint8Array>, number>();

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
      // An upload read from a file: node:http, which sees an early refusal (413) at once.
      if (init.body instanceof ReadableStream) {
        const size = uploadSizes.get(init.body);
        return streamUpload(url, { method: init.method, headers: size === undefined ? headers : { ...headers, 'content-length': String(size) }, body: init.body });
      }
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

  /** Raw rows: numbers, texts (a category column's values) and null for a missing cell. */
  predict(id: string, inputs: Cell[][]): Promise<PredictResponse> {
    return this.call('predict', { params: { id }, body: { inputs } });
  }

  /** Does the server answer at all (its liveness route)? */
  async reachable(): Promise<boolean> {
    return this.call('health', {}).then(
      () => true,
      () => false,
    );
  }

  queue(): Promise<QueueResponse> {
    return this.call('queue', {});
  }

  /** A model file (model.json, weights.bin, preprocessor.json) as bytes. */
  download(id: string, file: ModelFileName): Promise<Uint8Array> {
    return this.call('modelFile', { params: { id, file } });
  }

  listDatasets(query: RouteInput<ApiRoutes['listDatasets']>['query'] = {}): Promise<DatasetListResponse> {
    return this.call('listDatasets', { query });
  }

  getDataset(name: string): Promise<DatasetDetailResponse> {
    return this.call('getDataset', { params: { name } });
  }

  getDatasetVersion(name: string, version: number): Promise<DatasetVersionDetail> {
    return this.call('getDatasetVersion', { params: { name, version } });
  }

  /**
   * Uploads a table under `name`: the version these bytes make, new or already there. `data`
   * may be a stream (sent as it is read); give its `size` and it is sent as Content-Length, so
   * a server refuses a file over its limit before a byte is sent instead of partway.
   */
  addDatasetVersion(name: string, upload: { data: UploadData; type: string; filename?: string; size?: number }): Promise<DatasetUploadResponse> {
    if (upload.data instanceof ReadableStream && upload.size !== undefined) uploadSizes.set(upload.data, upload.size);
    const query = upload.filename === undefined ? {} : { filename: upload.filename };
    return this.call('addDatasetVersion', { params: { name }, query, upload: { data: upload.data, type: upload.type } });
  }

  /** A version's exact bytes, as a response whose body is read as it arrives. */
  datasetFile(name: string, version: number): Promise<Response> {
    return this.request(() => this.client.fetch('datasetFile', { params: { name, version } }));
  }

  deleteDatasetVersion(name: string, version: number): Promise<void> {
    return this.call('deleteDatasetVersion', { params: { name, version } });
  }

  private call<N extends RouteName>(name: N, input: RouteCall<ApiRoutes[N]>): Promise<RouteOutput<ApiRoutes[N]>> {
    return this.request(() => this.client.call(name, input));
  }

  /** Runs a request; anything but a success becomes an ApiError with the CLI's words. */
  private async request<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
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
