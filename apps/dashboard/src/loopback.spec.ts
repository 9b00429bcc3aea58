import { describe, expect, it } from 'vitest';
import { readDashboardEnv } from './env.js';
import { bindProblem, isLoopback } from './loopback.js';

describe('binding beyond this machine', () => {
  it('knows the loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.org', '127.0.0.1.example.org']) expect(isLoopback(host)).toBe(false);
  });

  it('needs a token for any other host', () => {
    expect(bindProblem('127.0.0.1', undefined)).toBeUndefined();
    expect(bindProblem('0.0.0.0', 'secret')).toBeUndefined();
    expect(bindProblem('0.0.0.0', undefined)).toMatch(/HOST=0\.0\.0\.0 .*TRAINYARD_API_TOKEN/);
  });

  it('the server environment names HOST and the token when they do not go together', () => {
    expect(() => readDashboardEnv({ HOST: '0.0.0.0' })).toThrow(/invalid environment: HOST: HOST=0\.0\.0\.0 .*needs TRAINYARD_API_TOKEN/);
    expect(readDashboardEnv({ HOST: '0.0.0.0', TRAINYARD_API_TOKEN: 'secret' }).HOST).toBe('0.0.0.0');
    expect(readDashboardEnv({}).HOST).toBe('127.0.0.1');
  });
});
