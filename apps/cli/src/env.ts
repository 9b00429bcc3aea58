import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from '@trainyard/experiments';
import { z } from 'zod';

/** The only place the CLI reads process.env: parsed once, at start. */
const envSchema = z.object({
  /** Where downloaded datasets are cached, like scikit-learn's data_home. */
  TRAINYARD_DATA_HOME: z.string().min(1).optional(),
  /** The API the client commands talk to (submit, ls, show, ...). */
  TRAINYARD_URL: z.url().default('http://127.0.0.1:3000'),
  /** Sent as a Bearer token on every request (reads, changes, the event stream, model files). */
  TRAINYARD_API_TOKEN: z.string().min(1).optional(),
});

export interface CliEnv {
  dataHome: string;
  apiUrl: string;
  apiToken: string | undefined;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const env = parseEnv(envSchema, source);
  return {
    dataHome: env.TRAINYARD_DATA_HOME ? resolve(env.TRAINYARD_DATA_HOME) : join(homedir(), '.trainyard', 'data'),
    apiUrl: env.TRAINYARD_URL,
    apiToken: env.TRAINYARD_API_TOKEN,
  };
}
