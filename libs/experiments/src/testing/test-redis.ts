/** The machine's Redis (no password, database 0); CI and these machines start it before the tests. Tests keep apart by queue prefix. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';
