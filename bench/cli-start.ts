/**
 * How long `trainyard --help` takes to answer: the bin running the build (each package's dist/,
 * made by `npm install`) beside the CLI started from its TypeScript sources through tsx, as the
 * bin did before the build existed. Node's own start (an empty script) is the floor. The three
 * alternate within each round (the first of them rotating) so that the machine's load falls on
 * all alike; medians, p90 and the ratio of medians. Asserts nothing. Goal (issue 9): under 0.5 s
 * for `node_modules/.bin/trainyard --help` (that symlink runs the same bin through its shebang).
 *
 *   npm run cli-start -w @trainyard/bench [-- --runs 30]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, quantile } from './stats.js';

const GOAL_SECONDS = 0.5;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../apps/cli/bin/trainyard.js', import.meta.url));
const BUILT_MAIN = new URL('../apps/cli/dist/main.js', import.meta.url);
const SOURCE_MAIN = fileURLToPath(new URL('../apps/cli/src/main.ts', import.meta.url));

interface Way {
  label: string;
  args: string[];
  /** Whether its output must be the usage text (the floor prints nothing). */
  usage: boolean;
}

const WAYS: Way[] = [
  { label: 'built: node apps/cli/bin/trainyard.js --help', args: [BIN, '--help'], usage: true },
  // --conditions=development: the workspace packages from their sources too, as before the build
  // (without it only apps/cli would come from src and the rest from dist).
  { label: 'sources: node --import tsx apps/cli/src/main.ts --help', args: ['--conditions=development', '--import', 'tsx', SOURCE_MAIN, '--help'], usage: true },
  { label: 'floor: node (an empty script)', args: ['-e', ''], usage: false },
];

// The bin runs the sources under vitest (VITEST) or with the development condition (NODE_OPTIONS);
// neither may leak in from the shell, or "built" would not be.
const env = { ...process.env };
delete env['VITEST'];
delete env['NODE_OPTIONS'];

/** Wall seconds from spawn to exit of one start. */
function timeOnce(way: Way): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, way.args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0 || (way.usage && !output.startsWith('trainyard: '))) reject(new Error(`${way.label} exited ${code}:\n${output}`));
      else resolve(seconds);
    });
  });
}

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(args.runs);
if (!existsSync(BUILT_MAIN)) {
  console.error('apps/cli/dist/main.js is missing: run `npm run build` first (npm install does it).');
  process.exit(1);
}

console.log(`node ${process.versions.node}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), load average ${os.loadavg()[0]?.toFixed(2)}`);
// One untimed start of each: the first tsx start fills tsx's transform cache (it lives in the
// system's temp dir and survives between runs), the first start of all warms the OS file cache.
for (const way of WAYS) await timeOnce(way);

const seconds = WAYS.map((): number[] => []);
for (let round = 0; round < runs; round++) {
  for (let k = 0; k < WAYS.length; k++) {
    const index = (round + k) % WAYS.length;
    seconds[index]?.push(await timeOnce(WAYS[index] as Way));
  }
}

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
console.log(`\n${runs} starts each, interleaved; load average after: ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}\n`);
console.log(row(['start', 'median s', 'p90 s', 'min s', 'max s']));
console.log(row(['---', '---', '---', '---', '---']));
WAYS.forEach((way, index) => {
  const sorted = [...(seconds[index] ?? [])].sort((a, b) => a - b);
  console.log(row([way.label, median(sorted).toFixed(3), quantile(sorted, 0.9).toFixed(3), (sorted[0] ?? NaN).toFixed(3), (sorted.at(-1) ?? NaN).toFixed(3)]));
});
const [built, sources] = seconds.map((values) => median(values));
if (built !== undefined && sources !== undefined) {
  console.log(`\nsources / built (medians): ${(sources / built).toFixed(1)}x; built median ${built.toFixed(3)} s: goal < ${GOAL_SECONDS} s ${built < GOAL_SECONDS ? 'met' : 'missed'}`);
}
