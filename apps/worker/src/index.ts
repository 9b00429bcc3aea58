export { startWorker, type StartWorkerOptions, type RunningWorker } from './start-worker.js';
