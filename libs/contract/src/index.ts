/*
 * @trainyard/contract: every shape that crosses a boundary (a process, the network, the
 * database), as zod schemas. Browser-safe: nothing reachable from here may import node:*,
 * Prisma, BullMQ or tfjs (the web build and the module-boundary lint fail when something does).
 */

// The experiment definition and the checks that need more than one field.
export { DefinitionError, formatIssues, formatPath, type DefinitionErrorCode, type DefinitionIssue } from './definition/definition-error.js';
export {
  datasetSchema,
  experimentDefinitionSchema,
  layerSchema,
  LIMITS,
  type ExperimentDefinition,
  type ExperimentDefinitionInput,
} from './definition/experiment-definition.schema.js';
export { parseDefinition, parseDefinitionJson, safeParseDefinition, type DefinitionResult } from './definition/parse-definition.js';
export { checkDefinition } from './definition/definition-rules.js';
export { factsOf, type DatasetFacts } from './definition/dataset-facts.js';
export { canonicalJson } from './definition/canonical-json.js';
export { issuesFromZod } from './definition/zod-issues.js';
export { isSafeText, safeText, SAFE_TEXT_MESSAGE } from './definition/safe-text.js';
export { definitionPathProblem } from './definition/definition-paths.js';
export {
  checkSubmission,
  DEFAULT_SERVER_LIMITS,
  estimateTrainingMemory,
  LOCAL_FILE_REFUSED,
  runTimeLimitSeconds,
  serverLimitsEnv,
  serverLimitsOf,
  type ServerLimits,
  type TrainingMemoryEstimate,
} from './definition/server-policy.js';

// Datasets: registered tables and their profiles.
export * from './datasets/dataset-ref.js';
export * from './datasets/table-profile.schema.js';
export * from './datasets/image-profile.schema.js';
export { isRegisteredDataset, type RegisteredDatasetDefinition } from './definition/experiment-definition.schema.js';

// Sweeps.
export { expandSweep, sweepSize, type ExpandedSweep, type Trial, type TrialCheck } from './sweeps/expand-sweep.js';
export { isSweepInput, MAX_SWEEP_RUNS, sweepSchema, type Distribution, type SweepSpec } from './sweeps/sweep.schema.js';
export { setField } from './sweeps/set-field.js';
export { shortParamNames } from './sweeps/param-names.js';
export { definitionJsonSchema, DEFINITION_FIELD_HELP, submissionJsonSchema, sweepJsonSchema, SWEEP_FIELD_HELP, type JsonSchema } from './definition/definition-json-schema.js';

// The queue's job payload.
export { trainRunPayloadSchema, type TrainRunPayload } from './queue/train-run.job.js';

// The HTTP API.
export * from './http/api-contract.js';
export { compareMetricNames, orderMetrics } from './http/metric-order.js';

// A run's JSON columns, versioned.
export * from './record/run-record.schema.js';
export { API_ERROR_SCHEMA, API_ROUTES, fillPath, type ApiRoutes, type RawBody, type RouteInput, type RouteName, type RouteCall, type RouteOutput, type RouteParsed, type RouteSpec, type UploadData } from './http/routes.js';
export { ApiClient, ApiRequestError, describeRequestError, type FetchLike } from './http/client.js';
export { openApiDocument } from './http/openapi.js';
export { tableFacts, tableIssues } from './datasets/table-rules.js';
export { imageFacts, imageIssues, notImagesIssue } from './datasets/image-rules.js';
export { columnStateSchema, preprocessorStateSchema, scalerStateSchema } from './record/preprocessor-state.schema.js';
