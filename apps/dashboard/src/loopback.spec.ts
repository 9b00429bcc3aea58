import { describe, expect, it } from 'vitest';
import { readDashboardEnv } from './env.js';
import { bindProblem, hostProblem, isLoopback, originProblem } from './loopback.js';

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

  it('without a token, answers only requests addressed to a loopback name (DNS rebinding)', () => {
    for (const host of ['localhost', 'localhost:3000', 'LocalHost:3000', '127.0.0.1', '127.0.0.1:3000', '127.1.2.3:80', '[::1]', '[::1]:3000', 'localhost:']) {
      expect(hostProblem(host, undefined), host).toBeUndefined();
    }
    for (const host of ['evil.example', 'evil.example:3000', '127.0.0.1.evil.example:3000', 'localhost.evil.example', '0.0.0.0:3000', '10.0.0.5:3000', '[::]:3000', '[::1', '::1]:3000', 'localhost:3000:1', 'localhost:x', 'local host', '']) {
      expect(hostProblem(host, undefined), host).toMatch(/^Host ".*" is not a loopback name: without TRAINYARD_API_TOKEN .*DNS rebinding/);
    }
    expect(hostProblem('evil.example:3000', undefined)).toContain('Host "evil.example:3000"');
    expect(hostProblem(undefined, undefined)).toMatch(/^a request without a Host header is not a loopback name/);
  });

  it('with a token, answers a request addressed to any name', () => {
    for (const host of ['evil.example', 'trainyard.team.example:3000', '10.0.0.5:3000', undefined]) expect(hostProblem(host, 'secret')).toBeUndefined();
  });

  it('without a token, takes changes from loopback origins or none, and refuses any other', () => {
    for (const origin of [undefined, 'http://127.0.0.1:3000', 'http://localhost:5173', 'http://[::1]:3000', 'http://LOCALHOST']) {
      expect(originProblem(origin, undefined), origin).toBeUndefined();
    }
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example', 'http://10.0.0.5:3000', 'garbage']) {
      expect(originProblem(origin, undefined), origin).toMatch(/^a change from Origin ".*": without TRAINYARD_API_TOKEN/);
    }
    expect(originProblem('https://evil.example', 'token')).toBeUndefined();
  });
});
