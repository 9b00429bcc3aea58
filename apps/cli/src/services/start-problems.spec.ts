import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertCanListen, clientHint, describeStartError } from './start-problems.js';

describe('clientHint', () => {
  it('names TRAINYARD_URL unless the API is where the client commands look by default', () => {
    expect(clientHint('http://127.0.0.1:3400')).toBe('TRAINYARD_URL=http://127.0.0.1:3400 npx trainyard ls');
    expect(clientHint('http://127.0.0.1:3000')).toBe('npx trainyard ls');
    expect(clientHint('http://0.0.0.0:3000', true)).toBe('TRAINYARD_URL=http://0.0.0.0:3000 TRAINYARD_API_TOKEN=... npx trainyard ls');
  });
});

describe('describeStartError', () => {
  it('a taken port: one line naming it and PORT, not a raw listen EADDRINUSE', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const second = createServer();
    const error = await new Promise<Error>((resolve) => second.once('error', resolve).listen(port, '127.0.0.1'));
    // The same error from the check made before anything is opened.
    const checked = await assertCanListen('127.0.0.1', port).catch((e: unknown) => e as Error);
    taken.close();
    expect(describeStartError(checked)).toBe(describeStartError(error));
    await expect(assertCanListen('127.0.0.1', port)).resolves.toBeUndefined();
    await expect(assertCanListen('127.0.0.1', 0)).resolves.toBeUndefined();
    const line = describeStartError(error);
    expect(line).toBe(`port ${port} is in use (127.0.0.1:${port}: another trainyard, or another server, listens there): stop it, or set PORT to a free port, e.g. PORT=${port + 1} (PORT=0 takes any free one)`);
    expect(line).not.toMatch(/EADDRINUSE|\n/);
  });

  it('anything else: its own message', () => {
    expect(describeStartError(new Error('Redis is not reachable at redis://x:1'))).toBe('Redis is not reachable at redis://x:1');
    expect(describeStartError(Object.assign(new Error('listen EACCES'), { syscall: 'listen', code: 'EACCES', address: '0.0.0.0', port: 80 }))).toMatch(/^port 80 needs privileges .* set PORT/);
  });
});
