import type { LayerWeights, ModelSummary } from '@trainyard/nn';
import type { RunStatus } from '../runs/run-ledger.js';
import type { Evaluation, Prediction, Sample, StartEvent } from '../pipeline/run-events.js';

/*
 * What the repositories return: plain data, no Prisma types, so callers do not depend on
 * the generated client. Json columns carry the types the ledger writes into them.
 */

export type ArtifactKindName = 'MODEL_TOPOLOGY' | 'WEIGHTS' | 'PREPROCESSOR';

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

/** One time a run went back to the queue without finishing (shutdown past its deadline, vanished worker). */
export interface RunRelease {
  attempt: number;
  reason: string;
  /** ISO time. */
  at: string;
}

/** A rerun compared with the run it reproduces, per epoch and metric, bit for bit (Object.is). */
export type Reproduction =
  | { exact: true; epochs: number }
  | {
      exact: false;
      /** Largest |rerun - original| over the metrics both runs have at the same epoch. */
      maxAbsDiff: number;
      /** First epoch where a metric differs or one run has no row. */
      firstDivergentEpoch: number;
      /** The metric that differs at firstDivergentEpoch (null when a whole epoch is missing). */
      metric: string | null;
    };

/** What the pipeline's start event reports, as kept on the run (`env`); the summary has its own column. */
export type RunEnv = Omit<StartEvent, 'type' | 'seed' | 'summary'>;

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
}

/** Every column of a run, with its experiment and sweep. */
export interface RunDetail extends RunListItem {
  definition: unknown;
  specHash: string;
  trialKey: string | null;
  params: unknown;
  heartbeatAt: Date | null;
  workerId: string | null;
  host: string | null;
  env: RunEnv | null;
  datasetHash: string | null;
  releases: RunRelease[];
  summary: ModelSummary | null;
  evaluation: Evaluation | null;
  samples: Sample[] | null;
  predictions: Prediction[] | null;
  weights: LayerWeights[] | null;
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
