import { packKey, type AttemptInfo, type ClaimedRun, type ExperimentDefinition, type Logger, type RunFailure, type RunLedger } from '@trainyard/experiments';

export interface PackSource {
  /** Most runs trained together, the claimed one included (TRAINYARD_PACK_SIZE); 1 trains every run alone. */
  maxSize: number;
  /** QUEUED runs of the same sweep as `runId`, oldest first, with their definitions. */
  findSiblings(runId: string, limit: number): Promise<{ runId: string; definition: ExperimentDefinition & { seed: number } }[]>;
  /** Removes a run's job from the queue if it has not started; true when this worker now holds the run. */
  takeJob(runId: string): Promise<boolean>;
}

export interface GatherDeps {
  ledger: RunLedger;
  who: AttemptInfo;
  /** Why a claimed run must not train again (too many claims or crashes), as the processor decides it. */
  refuse: (claimed: ClaimedRun) => RunFailure | undefined;
  /** Fails a refused run for good (recorded and published). */
  failRefused: (claimed: ClaimedRun, failure: RunFailure, log: Logger) => Promise<void>;
  log: Logger;
}

/**
 * The runs a worker takes into a pack with the run it claimed: QUEUED runs of the same sweep
 * with the same pack key (packKey), up to `maxSize` in all. Each is taken by removing its
 * job from the queue (BullMQ refuses to remove a job a worker holds) and then claiming it in
 * the database only while it is still QUEUED, so of two workers reaching for it one wins and
 * it trains once. A worker that dies between the
 * two leaves a QUEUED run without a job, and one that dies later a RUNNING run whose heartbeat
 * stops: the reaper queues both again, as it does for any run.
 */
export async function gatherPack(source: PackSource, deps: GatherDeps, leader: ClaimedRun): Promise<{ claimed: ClaimedRun; log: Logger }[]> {
  const key = packKey(leader.definition);
  if (key === undefined || source.maxSize <= 1) return [];
  // More candidates than places: some may be taken by other workers meanwhile.
  const candidates = (await source.findSiblings(leader.runId, source.maxSize * 2)).filter((run) => packKey(run.definition) === key);
  const members: { claimed: ClaimedRun; log: Logger }[] = [];
  for (const candidate of candidates) {
    if (members.length >= source.maxSize - 1) break;
    if (!(await source.takeJob(candidate.runId))) continue;
    const runLog = deps.log.child({ runId: candidate.runId, jobId: candidate.runId, packedWith: leader.runId });
    let claimed: ClaimedRun | null;
    try {
      // Only while QUEUED: another worker may have removed the same job a moment before (its
      // remove answers 1 for a job that is gone) and claimed the run; it keeps it.
      claimed = await deps.ledger.claim(candidate.runId, deps.who, { onlyQueued: true });
    } catch (error) {
      // Its job is gone and its row still QUEUED: the reaper gives it a job again.
      runLog.warn({ err: error }, 'could not claim the run into the pack (the database?); the reaper queues it again');
      break;
    }
    if (!claimed) {
      runLog.debug('not taken into the pack: another worker claimed it, or it was cancelled');
      continue;
    }
    const log = runLog.child({ attempt: claimed.attempt });
    const refusal = deps.refuse(claimed);
    if (refusal) {
      await deps.failRefused(claimed, refusal, log);
      continue;
    }
    log.info({ crashes: claimed.crashes }, `claimed run into the pack of ${leader.runId}`);
    members.push({ claimed, log });
  }
  return members;
}
