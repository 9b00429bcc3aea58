export { startWorker, type StartWorkerOptions, type RunningWorker } from './start-worker.js';
export { readEnv as readWorkerEnv, workerSettingsOf, type WorkerEnv } from './env.js';
