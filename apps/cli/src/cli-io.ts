/** Where a command writes; tests and the process share one shape. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Exit codes: 0 done, 1 the run failed or was cancelled, 2 bad usage or an invalid definition. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
