import type { Logger } from '@trainyard/experiments';

export interface FailureStreak {
  /** A failure: the first of a streak is logged at warn, the rest at debug. */
  failed(error: unknown, fields?: Record<string, unknown>): void;
  /** A success: ends the streak, with an info line when there was one. */
  ok(): void;
}

/**
 * For something that fails many times in a row while a service is away (a heartbeat every
 * few seconds, live events every half second during a Redis or PostgreSQL restart): one warn
 * line when it starts failing, one info line when it works again, not one line per try.
 */
export function failureStreak(log: Logger, what: string, consequence: string): FailureStreak {
  let failures = 0;
  return {
    failed(error, fields = {}) {
      failures++;
      if (failures === 1) log.warn({ ...fields, err: error }, `${what} failed: ${consequence}`);
      else log.debug({ ...fields, err: error, failures }, `${what} failed again`);
    },
    ok() {
      if (failures === 0) return;
      log.info({ failures }, `${what} works again after ${failures} failure(s)`);
      failures = 0;
    },
  };
}
