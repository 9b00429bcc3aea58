export { DefinitionError, formatIssues, formatPath } from './definition/definition-error.js';
export type { DefinitionErrorCode, DefinitionIssue } from './definition/definition-error.js';
export {
  experimentDefinitionSchema,
  LIMITS,
  type ExperimentDefinition,
  type ExperimentDefinitionInput,
} from './definition/experiment-definition.schema.js';
export { parseDefinition, parseDefinitionJson, safeParseDefinition, type DefinitionResult } from './definition/parse-definition.js';
export { checkDefinition } from './definition/definition-rules.js';
export { factsOf, type DatasetFacts } from './definition/dataset-facts.js';
export { canonicalJson, specHash } from './definition/canonical-json.js';
export { runPipeline, withSeed, SMALL_MODEL_PARAMS, type RunOptions } from './pipeline/run-pipeline.js';
export { describeFailure } from './pipeline/run-failure.js';
export type * from './pipeline/run-events.js';
// runs: sweeps, submission, the ledger interface
export { expandSweep, type ExpandedSweep, type Trial } from './runs/expand-sweep.js';
export { sweepSchema, isSweepInput, MAX_SWEEP_RUNS, type SweepSpec, type Distribution } from './runs/sweep.schema.js';
export { FINAL_STATUSES, type RunStatus, type RunLedger, type ClaimedRun, type AttemptInfo } from './runs/run-ledger.js';
// api: the HTTP contract shared by the server and its clients
export * from './api/api-contract.js';
