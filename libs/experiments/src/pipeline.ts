/*
 * @trainyard/experiments/pipeline: one run as a stream of events (data + nn), for what trains
 * and needs nothing else: a worker's training thread and `trainyard train`. Nothing reachable
 * from here imports Prisma, BullMQ or Redis (apps/cli/test/pipeline-imports.spec.ts proves it).
 */
export { runPipeline, withSeed, SMALL_MODEL_PARAMS, type RunOptions } from './pipeline/run-pipeline.js';
export { runPackedPipeline, type PackedRunOptions, type TrialEvent } from './pipeline/run-packed-pipeline.js';
export { packKey } from './pipeline/pack-key.js';
export { prepareData, type DataOptions, type DataPart, type PreparedData } from './pipeline/prepare-data.js';
export { describeFailure } from './pipeline/run-failure.js';
export { EventChannel } from './pipeline/event-channel.js';
export { specHash } from './definition/spec-hash.js';
export type * from './pipeline/run-events.js';
