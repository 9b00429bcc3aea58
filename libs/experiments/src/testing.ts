/** Test and benchmark support: databases of their own, the machine's Redis, a fixture definition, a large seeded history, a BullMQ worker the test drives. Not for production code. */
export { openTestDatabase, TEST_DATABASE_URL, testSchemaName, type TestDatabase, type TestDatabaseKind } from './store/testing/test-databases.js';
export { seedRunHistory, type RunHistoryCounts, type RunHistoryShape } from './store/testing/seed-run-history.js';
export { startTestQueueWorker, type TestQueueWorker, type TestQueueWorkerOptions } from './queue/testing/test-queue-worker.js';
export { deleteQueueKeys, TEST_REDIS_URL } from './testing/test-redis.js';
export { multiplyDefinition, sumDefinition } from './testing/definitions.js';
export { freePort } from './testing/free-port.js';
/** The runs list's key query as RunRepository.list runs it (for EXPLAIN in bench/dashboard). */
export { runPageSql } from './store/run-list-query.js';
export { startProcess, type StartedProcess } from './testing/start-process.js';
