/** The first SIGINT or SIGTERM from now on (listening starts at the call, so one during start-up counts). */
export function onInterrupt(target: Pick<NodeJS.Process, 'once' | 'removeListener'> = process): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let dispose = (): void => undefined;
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    const onInt = (): void => settle('SIGINT');
    const onTerm = (): void => settle('SIGTERM');
    const settle = (name: NodeJS.Signals): void => {
      dispose();
      resolve(name);
    };
    dispose = () => {
      target.removeListener('SIGINT', onInt);
      target.removeListener('SIGTERM', onTerm);
    };
    target.once('SIGINT', onInt);
    target.once('SIGTERM', onTerm);
  });
  return { signal, dispose: () => dispose() };
}

/** Whether `closing` settled within `ms` (its rejection counts as settled: the caller moves on either way). */
export async function closeWithin(closing: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([closing.then(
      () => true,
      () => true,
    ), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * After a service command has stopped everything it started: exits with `code` if something
 * still holds the process open `graceMs` later (a live stream the API could not close, a
 * library's timer). The timer is unref'd: a process that ends by itself is not held or cut short.
 */
export function exitIfStillUp(code: number, graceMs = 1_000, exit: (code: number) => void = (c) => process.exit(c)): NodeJS.Timeout {
  const timer = setTimeout(() => exit(code), graceMs);
  timer.unref();
  return timer;
}
