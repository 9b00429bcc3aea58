import { apiTokenEnv, listenEnv, maxUploadBytesOf, parseEnv, serverLimitsOf, serviceEnv } from '@trainyard/experiments';
import { z } from 'zod';
import { allowedHostEntry, bindProblem, tokenProblem } from './loopback.js';
import type { ServerOptions } from './start-server.js';

/**
 * The only place the dashboard server reads process.env: parsed once, at start. The variables
 * it shares with the worker and the CLI (Redis, queue prefix, database, limits, logs, HOST,
 * PORT, the token) come from libs/experiments' shared-env.ts; the rules on them that only a
 * server has (token strength, allowed hosts, public reads) are here.
 */
const envSchema = z.object({
  ...serviceEnv,
  ...listenEnv,
  /**
   * When set, every route but /healthz, /api/config and the UI's files needs
   * `Authorization: Bearer <token>` (reads also take the cookie POST /api/session sets).
   * At least MIN_SHARED_TOKEN_LENGTH characters on a HOST other machines reach.
   */
  ...apiTokenEnv,
  /** With a token: reads are open to whoever reaches the server, changes still need the token. */
  TRAINYARD_PUBLIC_READS: z.stringbool().default(false),
  /**
   * Comma-separated host names or addresses requests may be addressed to (the Host header)
   * besides the server's own: a reverse proxy's name, a DNS alias; `*` for any.
   */
  TRAINYARD_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
      const hosts: string[] = [];
      for (const entry of entries) {
        const host = allowedHostEntry(entry);
        if (host === undefined) ctx.addIssue({ code: 'custom', message: `"${entry}" is not a host name or address (no scheme, no port; * for any)` });
        else hosts.push(host);
      }
      return hosts;
    }),
}).superRefine((env, ctx) => {
  // Without a token, changes are open to whoever reaches the port: only this machine may.
  const problem = bindProblem(env.HOST, env.TRAINYARD_API_TOKEN);
  if (problem) ctx.addIssue({ code: 'custom', path: ['HOST'], message: problem });
  // Beyond this machine, anyone on the network may guess: a short token is refused at start.
  const weak = tokenProblem(env.HOST, env.TRAINYARD_API_TOKEN);
  if (weak) ctx.addIssue({ code: 'custom', path: ['TRAINYARD_API_TOKEN'], message: weak });
});

export type DashboardEnv = z.output<typeof envSchema>;

export function readDashboardEnv(source: NodeJS.ProcessEnv = process.env): DashboardEnv {
  return parseEnv(envSchema, source);
}

/**
 * startServer's settings from the environment. The caller adds its database client, from
 * `openDatabase(databaseConfigOf(env))`, and its logger, `createLogger(logConfigOf(env))`: the
 * same functions the worker and every CLI command use.
 */
export function serverSettingsOf(env: DashboardEnv): Omit<ServerOptions, 'prisma' | 'databaseKind' | 'logger'> {
  return {
    redisUrl: env.REDIS_URL,
    prefix: env.TRAINYARD_QUEUE_PREFIX,
    host: env.HOST,
    port: env.PORT,
    limits: serverLimitsOf(env),
    maxUploadBytes: maxUploadBytesOf(env),
    publicReads: env.TRAINYARD_PUBLIC_READS,
    allowedHosts: env.TRAINYARD_ALLOWED_HOSTS,
    ...(env.TRAINYARD_API_TOKEN ? { token: env.TRAINYARD_API_TOKEN } : {}),
  };
}

