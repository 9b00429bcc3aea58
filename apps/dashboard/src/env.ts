import { parseEnv } from '@trainyard/experiments';
import { z } from 'zod';
import { bindProblem } from './loopback.js';

/** The only place the dashboard server reads process.env: parsed once, at start. */
const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** When set, every mutating route needs `Authorization: Bearer <token>`. */
  TRAINYARD_API_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces (it travels in an HTTP header)')
    .optional(),
  /** Team mode: PostgreSQL. Without it the embedded PGlite database under TRAINYARD_DB_DIR is used. */
  DATABASE_URL: z.string().min(1).optional(),
  TRAINYARD_DB_DIR: z.string().min(1).default('.trainyard/db'),
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix, to run side-by-side installs (and tests) on one Redis. */
  TRAINYARD_QUEUE_PREFIX: z.string().min(1).optional(),
}).superRefine((env, ctx) => {
  // Without a token, changes are open to whoever reaches the port: only this machine may.
  const problem = bindProblem(env.HOST, env.TRAINYARD_API_TOKEN);
  if (problem) ctx.addIssue({ code: 'custom', path: ['HOST'], message: problem });
});

export type DashboardEnv = z.output<typeof envSchema>;

export function readDashboardEnv(source: NodeJS.ProcessEnv = process.env): DashboardEnv {
  return parseEnv(envSchema, source);
}
