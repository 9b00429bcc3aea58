import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { prettyStream } from './pretty-log.js';

export type { Logger } from 'pino';

/** pino's levels; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL and LOG_PRETTY, parsed (see shared-env.ts). */
export interface LogConfig {
  level: LogLevel;
  /** Human lines instead of JSON; undefined: human lines when the destination is a terminal. */
  pretty?: boolean | undefined;
}

/** Where log lines go: a file descriptor's stream (process.stdout, process.stderr) or anything with write(). */
export type LogDestination = DestinationStream & { isTTY?: boolean };

/**
 * The one way trainyard makes a logger (worker, API, `trainyard up | worker | dashboard`):
 * pino, one JSON object per line with `level` (its name), `time` (ISO 8601), `msg`, `pid`,
 * `hostname` and the ids bound by child loggers (runId, jobId, attempt, workerId, reqId);
 * an error goes under `err` with its type, message and stack. With `pretty` (or by default
 * on a terminal) the same entries are written as short human lines.
 * The destination defaults to stdout, written synchronously so nothing is lost at exit.
 */
export function createLogger(config: LogConfig, destination?: LogDestination): Logger {
  const out: LogDestination = destination ?? pino.destination({ dest: 1, sync: true });
  const pretty = config.pretty ?? Boolean(destination ? destination.isTTY : process.stdout.isTTY);
  return pino(
    {
      level: config.level,
      timestamp: stdTimeFunctions.isoTime,
      // Level names, not numbers: what a person greps for ("level":"error").
      formatters: { level: (label) => ({ level: label }) },
    },
    pretty ? prettyStream(out) : out,
  );
}

/** A logger that writes nothing (tests, callers that pass none). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
