import { z } from 'zod';
import {
  apiErrorBodySchema,
  cancelResponseSchema,
  configResponseSchema,
  DATASET_UPLOAD_TYPES,
  datasetDetailResponseSchema,
  datasetListQuerySchema,
  datasetListResponseSchema,
  datasetNameParamsSchema,
  datasetUploadQuerySchema,
  datasetUploadResponseSchema,
  datasetVersionDetailSchema,
  datasetVersionParamsSchema,
  epochListResponseSchema,
  eventsQuerySchema,
  healthResponseSchema,
  jsonValueSchema,
  MODEL_FILE_NAMES,
  predictBodySchema,
  predictResponseSchema,
  queueResponseSchema,
  runDetailViewSchema,
  runIdParamsSchema,
  runListQuerySchema,
  runListResponseSchema,
  sessionResponseSchema,
  submissionResponseSchema,
  sweepDetailResponseSchema,
  sweepIdParamsSchema,
  sweepListQuerySchema,
  sweepListResponseSchema,
  sweepQuerySchema,
} from './api-contract.js';

/** A body that is not JSON: a file or a stream, described by its media type. */
export interface RawBody {
  raw: string;
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify's form: `/api/runs/:id`. */
  path: string;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /**
   * The body is a file, streamed as it arrives (never parsed as JSON): the media types it may
   * have. Its size is limited by the server (413 past it, nothing kept).
   */
  upload?: readonly string[];
  /** The success answer: its status and its JSON schema, a raw media type, or null for no body. */
  status: number;
  response: z.ZodType | RawBody | null;
  /** Whether the route answers without the API token when one is set. */
  public?: boolean;
}

const modelFileParams = runIdParamsSchema.extend({ file: z.enum(MODEL_FILE_NAMES as [string, ...string[]]) });

/** Any definition or sweep: parsed by the use case, which names every field it refuses. */
const submissionBody = jsonValueSchema;

/**
 * The whole HTTP API, one entry per route: the server registers its routes from this table
 * (input parsed before the handler, the answer serialized through its schema), the clients
 * build their requests and parse their answers from it, and GET /api/openapi.json is
 * generated from it.
 */
export const API_ROUTES = {
  health: { method: 'GET', path: '/healthz', summary: 'Liveness: the database kind and whether Redis answers', status: 200, response: healthResponseSchema, public: true },
  config: { method: 'GET', path: '/api/config', summary: 'What the web UI needs before it reads: whether a token is required', status: 200, response: configResponseSchema, public: true },
  openapi: { method: 'GET', path: '/api/openapi.json', summary: 'This description of the API (OpenAPI 3.1)', status: 200, response: { raw: 'application/json' }, public: true },
  openSession: { method: 'POST', path: '/api/session', summary: 'Sets the read cookie of a browser tab (needs the token)', status: 204, response: null },
  checkSession: { method: 'GET', path: '/api/session', summary: 'Whether this request may read (the token or a valid read cookie)', status: 200, response: sessionResponseSchema },
  closeSession: { method: 'DELETE', path: '/api/session', summary: 'Clears the read cookie', status: 204, response: null, public: true },
  listRuns: { method: 'GET', path: '/api/runs', summary: 'A page of runs: filters, sort, cursor', query: runListQuerySchema, status: 200, response: runListResponseSchema },
  getRun: { method: 'GET', path: '/api/runs/:id', summary: 'Everything recorded about one run', params: runIdParamsSchema, status: 200, response: runDetailViewSchema },
  listEpochs: { method: 'GET', path: '/api/runs/:id/epochs', summary: "A run's per-epoch metrics", params: runIdParamsSchema, status: 200, response: epochListResponseSchema },
  submit: { method: 'POST', path: '/api/experiments', summary: 'Submit a definition or a sweep: rows written and runs queued, or 400 naming every field', body: submissionBody, status: 201, response: submissionResponseSchema },
  cancel: { method: 'POST', path: '/api/runs/:id/cancel', summary: 'Cancel a queued or running run', params: runIdParamsSchema, status: 200, response: cancelResponseSchema },
  rerun: { method: 'POST', path: '/api/runs/:id/rerun', summary: "Queue the run's definition and seed again, to check it reproduces", params: runIdParamsSchema, status: 201, response: submissionResponseSchema },
  predict: { method: 'POST', path: '/api/runs/:id/predict', summary: "Predict raw inputs with a trained run's model and preprocessing", params: runIdParamsSchema, body: predictBodySchema, status: 200, response: predictResponseSchema },
  modelFile: { method: 'GET', path: '/api/runs/:id/model/:file', summary: 'A trained model as TensorFlow.js files (model.json, weights.bin) and its preprocessor.json', params: modelFileParams, status: 200, response: { raw: 'application/octet-stream' } },
  queue: { method: 'GET', path: '/api/queue', summary: 'Queue counts and the connected workers with their runs', status: 200, response: queueResponseSchema },
  events: { method: 'GET', path: '/api/events', summary: 'Live run events (server-sent events, event name `run`, data a LiveRunEvent)', query: eventsQuerySchema, status: 200, response: { raw: 'text/event-stream' } },
  listSweeps: { method: 'GET', path: '/api/sweeps', summary: 'A page of sweeps, newest first, with run counts by status', query: sweepListQuerySchema, status: 200, response: sweepListResponseSchema },
  listDatasets: { method: 'GET', path: '/api/datasets', summary: 'A page of registered datasets with their latest version', query: datasetListQuerySchema, status: 200, response: datasetListResponseSchema },
  getDataset: { method: 'GET', path: '/api/datasets/:name', summary: "A dataset's versions, newest first", params: datasetNameParamsSchema, status: 200, response: datasetDetailResponseSchema },
  addDatasetVersion: { method: 'POST', path: '/api/datasets/:name', summary: 'Upload a table (CSV or TSV with a header): a new version, or the version that has these bytes', params: datasetNameParamsSchema, query: datasetUploadQuerySchema, upload: DATASET_UPLOAD_TYPES, status: 201, response: datasetUploadResponseSchema },
  getDatasetVersion: { method: 'GET', path: '/api/datasets/:name/versions/:version', summary: "A version's columns (inferred types, statistics, histograms) and first rows", params: datasetVersionParamsSchema, status: 200, response: datasetVersionDetailSchema },
  datasetFile: { method: 'GET', path: '/api/datasets/:name/versions/:version/file', summary: "A version's exact bytes", params: datasetVersionParamsSchema, status: 200, response: { raw: 'application/octet-stream' } },
  deleteDatasetVersion: { method: 'DELETE', path: '/api/datasets/:name/versions/:version', summary: 'Delete a version no run trained on (409 otherwise)', params: datasetVersionParamsSchema, status: 204, response: null },
  getSweep: { method: 'GET', path: '/api/sweeps/:id', summary: "A sweep's trials, groups of repeats and best trial", params: sweepIdParamsSchema, query: sweepQuerySchema, status: 200, response: sweepDetailResponseSchema },
} as const satisfies Record<string, RouteSpec>;

export type ApiRoutes = typeof API_ROUTES;
export type RouteName = keyof ApiRoutes;

type Field<R, K extends string> = R extends Record<K, infer S extends z.ZodType> ? S : undefined;
/** What a route takes: its params, query and body as a caller writes them. */
export type RouteInput<R extends RouteSpec> = {
  [K in 'params' | 'query' | 'body' as Field<R, K> extends z.ZodType ? K : never]: z.input<Exclude<Field<R, K>, undefined>>;
};
/** The file of an upload route: bytes in memory, a Blob (a browser's File) or a stream. */
export type UploadData = Uint8Array<ArrayBuffer> | Blob | ReadableStream<Uint8Array>;
type UploadInput<R> = R extends { upload: readonly string[] } ? { upload: { data: UploadData; type: string } } : unknown;
/** What a route takes, an upload's file included. */
export type RouteCall<R extends RouteSpec> = RouteInput<R> & UploadInput<R>;
/** What a handler gets: the parsed params, query and body. */
export type RouteParsed<R extends RouteSpec> = {
  [K in 'params' | 'query' | 'body' as Field<R, K> extends z.ZodType ? K : never]: z.output<Exclude<Field<R, K>, undefined>>;
};
/** What a route answers on success. */
export type RouteOutput<R extends RouteSpec> = R['response'] extends z.ZodType ? z.output<R['response']> : R['response'] extends null ? undefined : Uint8Array;

/** Every error answer has this body. */
export const API_ERROR_SCHEMA = apiErrorBodySchema;

/** `/api/runs/:id` with {id: 'x'} -> `/api/runs/x` (each value URL-encoded). */
export function fillPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}
