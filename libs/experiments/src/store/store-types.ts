import type {
  ArtifactKindName,
  EvaluationRecord,
  ExperimentDefinition,
  LayerWeightsRecord,
  ModelSummaryRecord,
  PredictionRecord,
  Reproduction,
  RunEnvRecord,
  RunRelease,
  SampleRecord,
  TrialParams,
} from '@trainyard/contract';
import type { RunStatus } from '../runs/run-ledger.js';

/*
 * What the repositories return: plain data, no Prisma types, so callers do not depend on
 * the generated client. JSON columns are parsed on read through the contract's schemas
 * (libs/contract/src/record), upgraded from the version the row was written with.
 */

export type { ArtifactKindName, Reproduction, RunRelease };

export interface SweepRow {
  id: string;
  name: string;
  spec: unknown;
  specHash: string;
  createdAt: Date;
}

export interface ExperimentRow {
  id: string;
  name: string;
  specHash: string;
  dataset: string;
  sweepId: string | null;
  trialKey: string | null;
  createdAt: Date;
}

/** What the pipeline's start event reports, as kept on the run (`env`); the summary has its own column. */
export type RunEnv = RunEnvRecord;

/** A run as lists show it. */
export interface RunListItem {
  id: string;
  name: string;
  status: RunStatus;
  experimentId: string;
  sweepId: string | null;
  sweepName: string | null;
  dataset: string;
  seed: number;
  attempt: number;
  currentEpoch: number;
  epochs: number;
  backend: string | null;
  testMetrics: Record<string, number> | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  errorKind: string | null;
  errorCode: string | null;
  error: string | null;
  cancelRequested: boolean;
  reproducesRunId: string | null;
  reproduction: Reproduction | null;
  /** A sweep trial's varied parameters (field path -> value); null outside a sweep. */
  params: TrialParams | null;
}

/** Every column of a run, with its experiment and sweep. */
export interface RunDetail extends RunListItem {
  definition: ExperimentDefinition;
  specHash: string;
  trialKey: string | null;
  heartbeatAt: Date | null;
  workerId: string | null;
  host: string | null;
  env: RunEnv | null;
  datasetHash: string | null;
  releases: RunRelease[];
  summary: ModelSummaryRecord | null;
  evaluation: EvaluationRecord | null;
  samples: SampleRecord[] | null;
  predictions: PredictionRecord[] | null;
  weights: LayerWeightsRecord[] | null;
  /** The version of the JSON shapes the row was written with (read as the current one). */
  recordVersion: number;
  stoppedEarly: boolean | null;
  bestEpoch: number | null;
}

export type RunSortField = 'queuedAt' | 'startedAt' | 'finishedAt' | 'name';

/** The same shape as the HTTP API's parsed `sort`. */
export type RunListSort = { field: RunSortField; descending: boolean } | { field: 'metric'; metric: string; descending: boolean };

export interface RunPageQuery {
  status?: RunStatus[];
  /** Case-insensitive substring of the experiment's name. */
  name?: string;
  dataset?: string;
  sweepId?: string;
  /** Only these runs. */
  ids?: string[];
  /** Runs whose id starts with this (lowercase hex and dashes). */
  idPrefix?: string;
  /** Default: newest queued first. NULLs (not started, no such metric) always sort last. */
  sort?: RunListSort;
  /** nextCursor of the previous page, with the same sort. */
  cursor?: string;
  /** 1..200, default 50. */
  limit?: number;
}

export interface RunPage {
  items: RunListItem[];
  nextCursor: string | null;
}

export interface StaleRun {
  id: string;
  attempt: number;
  workerId: string | null;
  heartbeatAt: Date | null;
}

export interface EpochRow {
  epoch: number;
  metrics: Record<string, number>;
  durationMs: number;
  createdAt: Date;
}

export interface ArtifactInfo {
  kind: ArtifactKindName;
  size: number;
  sha256: string;
}

export interface ArtifactContent {
  bytes: Uint8Array;
  sha256: string;
  size: number;
}
