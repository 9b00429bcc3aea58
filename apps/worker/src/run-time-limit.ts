import { runTimeLimitSeconds, type ExperimentDefinition, type RunFailure } from '@trainyard/experiments';

/**
 * The wall-clock limit of one attempt, in ms: the definition's timeLimitSeconds, never more
 * than the server's TRAINYARD_MAX_RUN_SECONDS. Counted per attempt, from its claim: every
 * attempt trains from the first epoch again (there are no checkpoints), and a run handed back
 * by a worker shutting down should not lose the time its first attempt spent.
 */
export function attemptTimeLimitMs(definition: Pick<ExperimentDefinition, 'timeLimitSeconds'>, maxRunSeconds: number): number {
  return runTimeLimitSeconds(definition, { maxRunSeconds }) * 1_000;
}

/** The failure of a run stopped at its time limit: what the limit was, where it came from and how to raise it. */
export function timeLimitFailure(definition: Pick<ExperimentDefinition, 'timeLimitSeconds'>, maxRunSeconds: number, epochsCompleted: number): RunFailure {
  const limit = runTimeLimitSeconds(definition, { maxRunSeconds });
  const how =
    limit < maxRunSeconds
      ? `raise the definition's timeLimitSeconds (this server allows up to ${maxRunSeconds} s, its TRAINYARD_MAX_RUN_SECONDS)`
      : `that is this server's maximum (TRAINYARD_MAX_RUN_SECONDS on its workers): train fewer epochs or rows, or with a larger batchSize, or ask the operator to raise it`;
  return {
    kind: 'training',
    code: 'TIME_LIMIT',
    message: `the run was stopped at its time limit of ${duration(limit)} (timeLimitSeconds ${limit}) after ${epochsCompleted} epoch(s); ${how}`,
    retryable: false,
  };
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h ? `${h} h` : '', min ? `${min} min` : '', s || seconds === 0 ? `${s} s` : ''];
  return parts.filter(Boolean).join(' ');
}
