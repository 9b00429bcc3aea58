/** Test and benchmark support: databases of their own, and a large seeded history. Not for production code. */
export { openTestDatabase, TEST_DATABASE_URL, type TestDatabase, type TestDatabaseKind } from './store/testing/test-databases.js';
export { seedRunHistory, type RunHistoryCounts, type RunHistoryShape } from './store/testing/seed-run-history.js';
