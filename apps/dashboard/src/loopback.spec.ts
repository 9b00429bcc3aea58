import { describe, expect, it, vi } from 'vitest';
import { readDashboardEnv } from './env.js';
import { allowedHostEntry, bindProblem, hostAllowList, isLoopback, originProblem, tokenProblem } from './loopback.js';

const LONG_TOKEN = 'f'.repeat(32);

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

  it('needs a token of at least 32 characters for any other host; a loopback one may keep a short one', () => {
    expect(tokenProblem('0.0.0.0', 'a')).toBe(
      'TRAINYARD_API_TOKEN is 1 characters long; a server reachable from other machines (HOST=0.0.0.0) needs one of at least 32: make one with `openssl rand -hex 32`',
    );
    expect(tokenProblem('10.0.0.5', 'f'.repeat(31))).toMatch(/is 31 characters long/);
    expect(tokenProblem('0.0.0.0', LONG_TOKEN)).toBeUndefined();
    expect(tokenProblem('127.0.0.1', 'a')).toBeUndefined();
    expect(tokenProblem('localhost', 'a')).toBeUndefined();
    expect(tokenProblem('0.0.0.0', undefined)).toBeUndefined();
  });

  it('the server environment names HOST and the token when they do not go together', () => {
    expect(() => readDashboardEnv({ HOST: '0.0.0.0' })).toThrow(/invalid environment: HOST: HOST=0\.0\.0\.0 .*needs TRAINYARD_API_TOKEN/);
    expect(() => readDashboardEnv({ HOST: '0.0.0.0', TRAINYARD_API_TOKEN: 'secret' })).toThrow(
      /invalid environment: TRAINYARD_API_TOKEN: TRAINYARD_API_TOKEN is 6 characters long; .* at least 32: make one with `openssl rand -hex 32`/,
    );
    // The message never carries the token itself.
    expect(() => readDashboardEnv({ HOST: '0.0.0.0', TRAINYARD_API_TOKEN: 'hunter2' })).toThrow(/^(?!.*hunter2)/);
    expect(readDashboardEnv({ HOST: '0.0.0.0', TRAINYARD_API_TOKEN: LONG_TOKEN }).HOST).toBe('0.0.0.0');
    expect(readDashboardEnv({ HOST: '127.0.0.1', TRAINYARD_API_TOKEN: 'a' }).TRAINYARD_API_TOKEN).toBe('a');
    expect(readDashboardEnv({}).HOST).toBe('127.0.0.1');
  });
});

describe('the Host allow-list (DNS rebinding)', () => {
  const machine = (): string[] => ['build-box', '10.0.0.5', 'fe80::1'];

  it('without a token, answers only requests addressed to a loopback name', () => {
    const problem = hostAllowList({ token: undefined, host: '127.0.0.1', allowedHosts: [], machine });
    for (const host of ['localhost', 'localhost:3000', 'LocalHost:3000', '127.0.0.1', '127.0.0.1:3000', '127.1.2.3:80', '[::1]', '[::1]:3000', 'localhost:']) {
      expect(problem(host), host).toBeUndefined();
    }
    // This machine's own name and addresses are no loopback names: without a token, the LAN must not reach it.
    for (const host of ['evil.example', 'evil.example:3000', '127.0.0.1.evil.example:3000', 'localhost.evil.example', '0.0.0.0:3000', '10.0.0.5:3000', 'build-box:3000', '[::]:3000', '[::1', '::1]:3000', 'localhost:3000:1', 'localhost:x', 'local host', 'user@localhost', '']) {
      expect(problem(host), host).toMatch(/^Host ".*" is not a loopback name: without TRAINYARD_API_TOKEN .*DNS rebinding.*TRAINYARD_ALLOWED_HOSTS/);
    }
    expect(problem('evil.example:3000')).toContain('Host "evil.example:3000"');
    expect(problem(undefined)).toMatch(/^a request without a Host header is not a loopback name/);
  });

  it("with a token, answers the machine's name and addresses and the bound HOST, and nothing else", () => {
    const problem = hostAllowList({ token: LONG_TOKEN, host: '0.0.0.0', allowedHosts: [], machine });
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'build-box:3000', 'BUILD-BOX', '10.0.0.5:3000', '[fe80::1]:3000']) expect(problem(host), host).toBeUndefined();
    for (const host of ['evil.example', 'trainyard.team.example:3000', '10.0.0.6:3000', '0.0.0.0:3000', undefined]) {
      const reason = problem(host);
      expect(reason, String(host)).toMatch(/is not one of this server's names: .*DNS rebinding.*TRAINYARD_ALLOWED_HOSTS/);
      // A rebinding page reads this answer: it names none of the machine's names or addresses.
      expect(reason).not.toMatch(/build-box|10\.0\.0\.5|fe80/);
    }
    const bound = hostAllowList({ token: LONG_TOKEN, host: 'trainyard.team.example', allowedHosts: [], machine });
    expect(bound('trainyard.team.example:3000')).toBeUndefined();
  });

  it('admits TRAINYARD_ALLOWED_HOSTS in both modes, and * admits any host', () => {
    for (const token of [undefined, LONG_TOKEN]) {
      const problem = hostAllowList({ token, host: '127.0.0.1', allowedHosts: ['trainyard.team.example', '[2001:db8::7]'], machine });
      expect(problem('trainyard.team.example:3000')).toBeUndefined();
      expect(problem('Trainyard.Team.Example')).toBeUndefined();
      expect(problem('[2001:db8::7]:3000')).toBeUndefined();
      expect(problem('other.team.example:3000')).toBeDefined();
      const any = hostAllowList({ token, host: '127.0.0.1', allowedHosts: ['*'], machine });
      for (const host of ['evil.example', '10.9.9.9:80', undefined]) expect(any(host)).toBeUndefined();
    }
  });

  it('re-reads the machine\'s addresses when a request names one it does not know yet (a new interface)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      let addresses = ['build-box'];
      let reads = 0;
      const problem = hostAllowList({ token: LONG_TOKEN, host: '0.0.0.0', allowedHosts: [], machine: () => (reads++, addresses) });
      addresses = ['build-box', '10.0.0.9'];
      // At most every 10 s, so that a flood of unknown names costs no system call each.
      expect(problem('10.0.0.9:3000')).toBeDefined();
      expect(reads).toBe(1);
      vi.advanceTimersByTime(10_000);
      expect(problem('10.0.0.9:3000')).toBeUndefined();
      expect(problem('evil.example')).toBeDefined();
      expect(reads).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes TRAINYARD_ALLOWED_HOSTS as host names or addresses, and refuses ports, schemes and paths', () => {
    expect(allowedHostEntry(' Team.Example ')).toBe('team.example');
    expect(allowedHostEntry('[::1]')).toBe('::1');
    expect(allowedHostEntry('2001:db8::7')).toBe('2001:db8::7');
    expect(allowedHostEntry('*')).toBe('*');
    for (const entry of ['team.example:3000', 'http://team.example', 'team.example/x', 'a b', '', '-x.example']) expect(allowedHostEntry(entry), entry).toBeUndefined();
    expect(readDashboardEnv({ TRAINYARD_ALLOWED_HOSTS: 'a.example, B.example,,10.0.0.7' }).TRAINYARD_ALLOWED_HOSTS).toEqual(['a.example', 'b.example', '10.0.0.7']);
    expect(readDashboardEnv({}).TRAINYARD_ALLOWED_HOSTS).toEqual([]);
    expect(() => readDashboardEnv({ TRAINYARD_ALLOWED_HOSTS: 'a.example,http://b.example:3000' })).toThrow(
      /invalid environment: TRAINYARD_ALLOWED_HOSTS: "http:\/\/b\.example:3000" is not a host name or address \(no scheme, no port; \* for any\)/,
    );
    expect(() => hostAllowList({ token: undefined, host: '127.0.0.1', allowedHosts: ['a.example:80'] })).toThrow(/"a\.example:80" is not a host name/);
  });
});

describe('the Origin of a change without a token', () => {
  it("takes changes from the server's own origin or none, and refuses any other, another loopback port included", () => {
    for (const [origin, host] of [
      [undefined, '127.0.0.1:3000'],
      ['http://127.0.0.1:3000', '127.0.0.1:3000'],
      ['http://localhost:5173', 'localhost:5173'],
      ['http://[::1]:3000', '[::1]:3000'],
      ['http://LOCALHOST', 'localhost'],
      ['http://localhost', 'localhost:80'],
    ] as const) {
      expect(originProblem(origin, host, undefined), `${origin} -> ${host}`).toBeUndefined();
    }
    for (const [origin, host] of [
      ['http://127.0.0.1:9999', '127.0.0.1:3000'],
      ['http://localhost:3000', '127.0.0.1:3000'],
      ['https://127.0.0.1:3000', '127.0.0.1:3000'],
      ['https://evil.example', '127.0.0.1:3000'],
      ['null', '127.0.0.1:3000'],
      ['http://127.0.0.1.evil.example', '127.0.0.1:3000'],
      ['garbage', '127.0.0.1:3000'],
      ['http://127.0.0.1:3000', undefined],
    ] as const) {
      expect(originProblem(origin, host, undefined), `${origin} -> ${host}`).toMatch(/^a change from Origin ".*": without TRAINYARD_API_TOKEN this server accepts changes only from its own pages/);
    }
    expect(originProblem('http://127.0.0.1:9999', '127.0.0.1:3000', undefined)).toContain('its own pages (http://127.0.0.1:3000)');
    expect(originProblem('https://evil.example', '127.0.0.1:3000', 'token')).toBeUndefined();
  });
});
