/** Small seeded uniform [0, 1) generator for tests (libs/data owns the run's real one). */
export { mulberry32 } from '../mulberry32.js';
