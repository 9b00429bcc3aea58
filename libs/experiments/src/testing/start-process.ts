import { spawn, type ChildProcess } from 'node:child_process';

export interface StartedProcess {
  child: ChildProcess;
  /** The `ready` pattern's match in the output. */
  ready: RegExpExecArray;
  /** Everything it wrote so far, stdout and stderr. */
  log: () => string;
  /** SIGTERM, then SIGKILL if it has not exited after 20 s. */
  stop: () => Promise<void>;
}

/**
 * Starts a long-running process (a server a test talks to) and resolves once its output
 * matches `ready`. It fails with the output if the process exits first or `timeoutMs`
 * passes, and the process never outlives the test run.
 */
export async function startProcess(
  command: string,
  args: string[],
  /** `env`: the child's whole environment (the caller decides what it inherits). */
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
): Promise<StartedProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  // A test run that dies or times out must not leave the process behind.
  const orphan = (): void => void child.kill('SIGKILL');
  process.once('exit', orphan);
  child.once('exit', () => process.off('exit', orphan));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // `trainyard up` warms its training threads before it says it is ready: on a loaded 2-core CI
  // machine running other suites beside it, that took over 60 s once.
  const deadline = Date.now() + (options.timeoutMs ?? 100_000);
  let ready: RegExpExecArray | null;
  while (!(ready = options.ready.exec(output))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // A clean shutdown takes a moment; one that hangs must not outlive the tests.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, ready, log: () => output, stop };
}
