/**
 * Lets timers and I/O run (a worker renews its queue lock from the event loop). setImmediate,
 * not a resolved promise: microtasks run before I/O callbacks and would not let them in.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
