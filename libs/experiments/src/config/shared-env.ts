import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_UPLOAD_BYTES, serverLimitsEnv } from '@trainyard/contract';
import { z } from 'zod';
import { DEFAULT_PREFIX } from '../queue/queue-names.js';
import type { DatabaseConfig } from '../store/open-database.js';
import { LOG_LEVELS, type LogConfig } from './logger.js';

/*
 * The environment variables more than one process reads, each declared once. Every app's
 * env.ts (the only reader of the environment in that app) spreads the shapes it needs into its
 * own z.object with its own variables, so `trainyard up | worker | dashboard` and the apps'
 * own mains read the same variable with the same rule and the same default.
 */

/** Redis and the queue's key prefix: the API, the worker and `up`. */
export const queueEnv = {
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix and pub/sub channel prefix; tests and side-by-side installs use their own. */
  TRAINYARD_QUEUE_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, "_", "." and "-" only')
    .default(DEFAULT_PREFIX),
};

/** The database: PostgreSQL with DATABASE_URL (team mode), else the embedded PGlite under TRAINYARD_DB_DIR. */
export const databaseEnv = {
  DATABASE_URL: z.string().min(1).optional(),
  /** Relative to the working directory the process starts in. */
  TRAINYARD_DB_DIR: z.string().min(1).default('.trainyard/db'),
  /** A schema of its own instead of `public` (tests give each worker process theirs); created when missing. */
  TRAINYARD_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and "_", starting with a letter or "_", at most 63')
    .optional(),
};

const MIB = 1024 * 1024;

/** Where downloaded datasets are cached, like scikit-learn's data_home, and how much of it registered datasets may take. */
export const dataHomeEnv = {
  TRAINYARD_DATA_HOME: z.string().min(1).optional(),
  /** MiB of registered datasets a worker keeps under TRAINYARD_DATA_HOME/datasets; the least recently used go first. */
  TRAINYARD_DATA_CACHE_MB: z.coerce.number().int().min(1).default(2048),
};

/** The largest dataset upload the API takes (413 past it, nothing kept), MiB; under 2 GiB (sizes are 32-bit in the database). */
export const uploadEnv = {
  TRAINYARD_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(2047).default(DEFAULT_MAX_UPLOAD_BYTES / MIB),
};

/** Where the API listens. */
export const listenEnv = {
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
};

/**
 * The API's bearer token: the server requires it, clients send it. Visible ASCII only: it
 * travels in an HTTP header.
 */
export const apiTokenEnv = {
  TRAINYARD_API_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces (it travels in an HTTP header)')
    .optional(),
};

/** Logs of the long-running processes (see createLogger). */
export const logEnv = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** 1/true: human lines; 0/false: JSON lines; unset: human lines on a terminal, JSON otherwise. */
  LOG_PRETTY: z.stringbool().optional(),
};

/** What every service process reads (API, worker, `up`): queue, database, the server's limits, logs. */
export const serviceEnv = {
  ...queueEnv,
  ...databaseEnv,
  /** What one run may take (checked at submission; the worker applies TRAINYARD_MAX_RUN_SECONDS). */
  ...serverLimitsEnv,
  ...uploadEnv,
  ...logEnv,
};

type Parsed<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

/** The database a process opens: the same for every command given the same environment. */
export function databaseConfigOf(env: Parsed<typeof databaseEnv>): DatabaseConfig {
  return {
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: resolve(env.TRAINYARD_DB_DIR) }),
    ...(env.TRAINYARD_DB_SCHEMA ? { schema: env.TRAINYARD_DB_SCHEMA } : {}),
  };
}

/** TRAINYARD_DATA_HOME made absolute; ~/.trainyard/data when unset. */
export function dataHomeOf(env: Parsed<typeof dataHomeEnv>): string {
  return env.TRAINYARD_DATA_HOME ? resolve(env.TRAINYARD_DATA_HOME) : join(homedir(), '.trainyard', 'data');
}

/** TRAINYARD_DATA_CACHE_MB in bytes. */
export function dataCacheBytesOf(env: Parsed<typeof dataHomeEnv>): number {
  return env.TRAINYARD_DATA_CACHE_MB * MIB;
}

/** TRAINYARD_MAX_UPLOAD_MB in bytes. */
export function maxUploadBytesOf(env: Parsed<typeof uploadEnv>): number {
  return env.TRAINYARD_MAX_UPLOAD_MB * MIB;
}

export function logConfigOf(env: Parsed<typeof logEnv>): LogConfig {
  return { level: env.LOG_LEVEL, pretty: env.LOG_PRETTY };
}
