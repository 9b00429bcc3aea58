import type { DashboardEnv } from '@trainyard/dashboard';
import { apiTokenEnv, databaseConfigOf, dataHomeEnv, dataHomeOf, logConfigOf, parseEnv, type DatabaseConfig, type LogConfig } from '@trainyard/experiments/config';
import type { WorkerEnv } from '@trainyard/worker';
import { z } from 'zod';

/**
 * The only place the CLI reads process.env: parsed once, at start. The client commands' own
 * variables are here; `up`, `worker` and `dashboard` read theirs through the apps' parsers
 * (readServeEnv), which share their common variables through libs/experiments' shared-env.ts.
 */
const envSchema = z.object({
  ...dataHomeEnv,
  /** The API the client commands talk to (submit, ls, show, ...). */
  TRAINYARD_URL: z.url().default('http://127.0.0.1:3000'),
  /** Sent as a Bearer token on every request (reads, changes, the event stream, model files). */
  ...apiTokenEnv,
});

export interface CliEnv {
  dataHome: string;
  apiUrl: string;
  apiToken: string | undefined;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const env = parseEnv(envSchema, source);
  return {
    dataHome: dataHomeOf(env),
    apiUrl: env.TRAINYARD_URL,
    apiToken: env.TRAINYARD_API_TOKEN,
  };
}

export type ServeMode = 'up' | 'worker' | 'dashboard';

/** What `trainyard up | worker | dashboard` start from. */
export interface ServeEnv {
  /** The same for every mode given the same environment, and the same as the apps' own mains. */
  database: DatabaseConfig;
  redisUrl: string;
  prefix: string;
  log: LogConfig;
  /** The API's settings (up, dashboard): apps/dashboard's own parser, with its HOST and token rules. */
  api: DashboardEnv | undefined;
  /** The worker's settings (up, worker): apps/worker's own parser. */
  worker: WorkerEnv | undefined;
}

/**
 * The environment of a service command, through the parser of each app the mode starts, so
 * `trainyard dashboard` reads exactly what apps/dashboard's main reads and `trainyard worker`
 * what apps/worker's main reads. A worker serves nothing: the API's rules (HOST without a
 * token, ...) are not its concern; a dashboard trains nothing: neither are WORKER_*.
 * The apps are imported here, not at the top: `trainyard train` and the client commands load
 * neither the API server nor the queue.
 */
export async function readServeEnv(mode: ServeMode, source: NodeJS.ProcessEnv = process.env): Promise<ServeEnv> {
  const worker = mode === 'dashboard' ? undefined : (await import('@trainyard/worker')).readWorkerEnv(source);
  const api = mode === 'worker' ? undefined : (await import('@trainyard/dashboard')).readDashboardEnv(source);
  if (worker) return { database: worker.database, redisUrl: worker.redisUrl, prefix: worker.prefix, log: worker.log, api, worker };
  if (!api) throw new Error(`unknown mode ${String(mode)}`);
  return { database: databaseConfigOf(api), redisUrl: api.REDIS_URL, prefix: api.TRAINYARD_QUEUE_PREFIX, log: logConfigOf(api), api, worker };
}
