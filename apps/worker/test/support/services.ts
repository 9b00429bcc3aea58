import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@trainyard/experiments/testing';
import { waitFor } from './wait-for.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';

function ping(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 2_000 });
    return true;
  } catch {
    return false;
  }
}

/** A redis-server of the test's own, keeping nothing on disk like the machine's: a restart loses every job. */
export class PrivateRedis {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(() => ping('redis-cli', ['-p', String(this.port), 'ping']), { what: 'private redis to answer', timeoutMs: 10_000 });
  }

  /** Kills the server at once (what a crash or a restart without persistence does to the jobs). */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * A PostgreSQL 15 cluster of the test's own in a temporary directory, so that stopping it
 * cannot disturb anything else on the machine. initdb refuses root, so the cluster belongs
 * to the postgres user when the tests run as root.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly asUser: string[],
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'trainyard-pg-'));
    const root = process.getuid?.() === 0;
    if (root) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(dir, uid, gid);
      chmodSync(dir, 0o700);
    }
    const pg = new PrivatePostgres(await freePort(), dir, root ? ['runuser', '-u', 'postgres', '--'] : []);
    pg.run('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await pg.start();
    return pg;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-o', options, '-w', 'start']);
    await waitFor(() => ping(join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port)]), { what: 'private postgres', timeoutMs: 20_000 });
  }

  /** Fast shutdown: open connections are terminated, new ones refused until start(). */
  stop(): void {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(tool: string, args: string[]): void {
    const [command, ...rest] = [...this.asUser, join(PG_BIN, tool), ...args];
    execFileSync(command as string, rest, { stdio: 'ignore', timeout: 60_000 });
  }
}
