import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * One measurement in a fresh process: a bench runs itself again with `args` (each backend in
 * its own process, so none inherits another's heap or JIT state) and reads back the one line
 * the child prints with printChildResult. The child's stderr passes through.
 */
const RESULT_PREFIX = 'RESULT ';

export function printChildResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** `scriptUrl`: the bench's own import.meta.url. */
export async function runBenchChild<T>(scriptUrl: string | URL, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<T> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(scriptUrl), ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  const line = output.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (code !== 0 || !line) throw new Error(`bench of ${what} failed (exit ${code}):\n${output}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}
