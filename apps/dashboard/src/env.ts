import { parseEnv, serverLimitsEnv } from '@trainyard/experiments';
import { z } from 'zod';
import { allowedHostEntry, bindProblem, tokenProblem } from './loopback.js';

/** The only place the dashboard server reads process.env: parsed once, at start. */
const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /**
   * When set, every route but /healthz, /api/config and the UI's files needs
   * `Authorization: Bearer <token>` (reads also take the cookie POST /api/session sets).
   * At least MIN_SHARED_TOKEN_LENGTH characters on a HOST other machines reach.
   */
  TRAINYARD_API_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces (it travels in an HTTP header)')
    .optional(),
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
  /** Team mode: PostgreSQL. Without it the embedded PGlite database under TRAINYARD_DB_DIR is used. */
  DATABASE_URL: z.string().min(1).optional(),
  TRAINYARD_DB_DIR: z.string().min(1).default('.trainyard/db'),
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix, to run side-by-side installs (and tests) on one Redis. */
  TRAINYARD_QUEUE_PREFIX: z.string().min(1).optional(),
  /** What one run may take: checked at submission (time limit, parameters, step memory). */
  ...serverLimitsEnv,
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
