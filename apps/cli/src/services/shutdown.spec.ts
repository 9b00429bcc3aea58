import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { closeWithin, exitIfStillUp, onInterrupt } from './shutdown.js';

describe('shutdown helpers', () => {
  it('onInterrupt hears a signal from the moment it is called, once, and lets go of its listeners', async () => {
    const target = new EventEmitter() as unknown as NodeJS.Process;
    const interrupted = onInterrupt(target);
    target.emit('SIGTERM');
    expect(await interrupted.signal).toBe('SIGTERM');
    expect(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM')).toBe(0);
    const disposed = onInterrupt(target);
    disposed.dispose();
    expect(target.listenerCount('SIGINT')).toBe(0);
  });

  it('closeWithin: true when the close settles in time, false when it hangs (an open live stream)', async () => {
    expect(await closeWithin(Promise.resolve(), 50)).toBe(true);
    expect(await closeWithin(Promise.reject(new Error('x')), 50)).toBe(true);
    expect(await closeWithin(new Promise(() => undefined), 20)).toBe(false);
  });

  it('exitIfStillUp exits with the code only if the process is still up after the grace, without holding it', async () => {
    const exit = vi.fn();
    const timer = exitIfStillUp(130, 10, exit);
    expect(timer.hasRef()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(exit).toHaveBeenCalledWith(130);
  });
});
