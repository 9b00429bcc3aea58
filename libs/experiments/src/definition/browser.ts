/*
 * The browser-safe part of @trainyard/experiments (package export "./definition"): the
 * definition and sweep schemas and checks, and the HTTP API's shapes, for the web UI to
 * validate as the server does. Nothing reachable from here may import node:*, Prisma,
 * BullMQ or tfjs; the web build (apps/dashboard/web) fails when something does.
 */
export { DefinitionError, formatIssues, formatPath, type DefinitionIssue, type DefinitionErrorCode } from './definition-error.js';
export { experimentDefinitionSchema, LIMITS, type ExperimentDefinition, type ExperimentDefinitionInput } from './experiment-definition.schema.js';
export { safeParseDefinition, type DefinitionResult } from './parse-definition.js';
export { expandSweep, type ExpandedSweep, type Trial } from '../runs/expand-sweep.js';
export { sweepSchema, isSweepInput, MAX_SWEEP_RUNS, type SweepSpec, type Distribution } from '../runs/sweep.schema.js';
export * from '../api/api-contract.js';
export { compareMetricNames } from '../api/metric-order.js';
