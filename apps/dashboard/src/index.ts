export { startServer, type RunningServer, type ServerOptions } from './start-server.js';
export { buildApp, BODY_LIMIT_BYTES } from './app.js';
export type { AppDeps } from './app-deps.js';
export { readDashboardEnv, serverSettingsOf, type DashboardEnv } from './env.js';
export { isLoopback } from './loopback.js';
