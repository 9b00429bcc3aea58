/*
 * @trainyard/experiments/config: the environment variables every entry shares and the one
 * logger factory, without the store or the queue (so `trainyard train` and the client
 * commands load neither Prisma nor BullMQ).
 */
export { parseEnv } from './config/parse-env.js';
export {
  apiTokenEnv,
  dataCacheBytesOf,
  databaseConfigOf,
  databaseEnv,
  dataHomeEnv,
  dataHomeOf,
  listenEnv,
  logConfigOf,
  logEnv,
  maxUploadBytesOf,
  queueEnv,
  serviceEnv,
  uploadEnv,
} from './config/shared-env.js';
export { datasetCachePath, DATASET_CACHE_DIR } from './config/dataset-cache-path.js';
export { createLogger, silentLogger, LOG_LEVELS, type Logger, type LogConfig, type LogDestination, type LogLevel } from './config/logger.js';
export type { DatabaseConfig } from './store/open-database.js';
