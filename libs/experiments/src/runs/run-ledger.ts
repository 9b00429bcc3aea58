import { type ExperimentDefinition, type RunStatus } from '@trainyard/contract';
import type { RunFailure, RunResult, StartEvent } from '../pipeline/run-events.js';

export type { RunStatus };

/** Who is running an attempt, recorded on the run when it starts. */
export interface AttemptInfo {
  workerId: string;
  host: string;
}

/** What a worker needs to run an attempt it has claimed. */
export interface ClaimedRun {
  runId: string;
  /** 1 for the first attempt; every claim (a retry, a redelivery after a crash) adds one. */
  attempt: number;
  /**
   * Earlier attempts that ended with their worker or training thread dying: a claim that takes
   * over a RUNNING run (its attempt never ended: the process was killed or crashed, or its
   * heartbeat went stale and the reaper queued it again) counts one, so does
   * `release(..., {crashed: true})`. A clean hand-back (`release`) does not.
   */
  crashes: number;
  definition: ExperimentDefinition & { seed: number };
  /**
   * The run reproduces one that trained in a pack: it trains through a pack's kernels too, as
   * a pack of one, so that its numbers can be compared with the original's bit for bit on a
   * backend where a packed run's numbers differ from the same run alone (wasm).
   */
  trainAsPack?: boolean;
}

/**
 * The record of a run's life, as the worker writes it. Every write names the attempt it
 * belongs to and is ignored (returns false) when that attempt no longer owns the run — a
 * redelivered job's first attempt that wakes up late cannot overwrite the second's result.
 * Epoch writes are idempotent on (runId, epoch).
 */
export interface ClaimOptions {
  /**
   * Claim the run only while it is QUEUED, never take over a RUNNING one: how a worker takes a
   * run into a pack, where two workers may both have removed its job (BullMQ's remove of a
   * job that is gone still answers 1) and only the first claim may win.
   */
  onlyQueued?: boolean;
}

export interface RunLedger {
  /**
   * Claims a QUEUED run, or a RUNNING one whose previous attempt vanished (a redelivery):
   * status RUNNING, attempt + 1, worker, host, startedAt, heartbeatAt, and crashes + 1 when
   * the run was RUNNING. Returns null when the run is final or cancel was requested (it is
   * then marked CANCELLED) or it does not exist.
   */
  claim(runId: string, who: AttemptInfo, options?: ClaimOptions): Promise<ClaimedRun | null>;
  /** Backend, versions, dataset hash, split sizes, summary: what the pipeline's start event says. */
  recordStart(runId: string, attempt: number, start: StartEvent): Promise<boolean>;
  /** Upserts the epoch row (runId, epoch) and the run's current epoch. */
  recordEpoch(runId: string, attempt: number, epoch: number, metrics: Record<string, number>, durationMs: number): Promise<boolean>;
  /** Heartbeat; answers whether a cancel was requested for the run. */
  heartbeat(runId: string, attempt: number): Promise<{ owned: boolean; cancelRequested: boolean }>;
  /** In one transaction: test metrics, evaluation, samples, predictions, weights, artifacts, SUCCEEDED. */
  succeed(runId: string, attempt: number, result: RunResult): Promise<boolean>;
  fail(runId: string, attempt: number, failure: RunFailure): Promise<boolean>;
  cancelled(runId: string, attempt: number): Promise<boolean>;
  /**
   * Gives the run back to the queue (worker shutting down past its deadline, a failure worth
   * retrying): status QUEUED, reason recorded. `crashed`: the attempt ended because its
   * training thread died, which counts towards the run's crashes.
   */
  release(runId: string, attempt: number, reason: string, options?: { crashed?: boolean }): Promise<boolean>;
}
