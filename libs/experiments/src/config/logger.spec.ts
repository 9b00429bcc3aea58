import { describe, expect, it } from 'vitest';
import { createLogger, type LogConfig } from './logger.js';

function capture(config: LogConfig, isTTY?: boolean) {
  const lines: string[] = [];
  const logger = createLogger(config, { write: (line: string) => void lines.push(line), ...(isTTY === undefined ? {} : { isTTY }) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line: level name, ISO time, msg, the bound ids and an error with its message and stack', () => {
    const { logger, lines } = capture({ level: 'info', pretty: false });
    logger.child({ workerId: 'w1' }).child({ runId: 'r1', attempt: 2 }).warn({ err: new Error('fetch failed') }, 'attempt failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'warn', msg: 'attempt failed', workerId: 'w1', runId: 'r1', attempt: 2, err: { type: 'Error', message: 'fetch failed' } });
    expect(new Date(String(entry['time'])).toISOString()).toBe(entry['time']);
    expect(String((entry['err'] as { stack: string }).stack)).toMatch(/^Error: fetch failed\n\s+at /);
  });

  it('leaves out what is below LOG_LEVEL', () => {
    const { logger, lines } = capture({ level: 'warn', pretty: false });
    logger.info('request');
    logger.error('boom');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['boom']);
  });

  it('writes human lines with LOG_PRETTY, and by default on a terminal only', () => {
    const pretty = capture({ level: 'info', pretty: true });
    pretty.logger.child({ runId: 'r1' }).error({ failure: { code: 'DOWNLOAD_FAILED' }, err: new Error('fetch failed') }, 'run failed');
    const [head, stack] = (pretty.lines.join('')).split('\n');
    expect(head).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR run failed {2}runId=r1 failure\.code=DOWNLOAD_FAILED$/);
    expect(stack).toBe('    Error: fetch failed');

    const terminal = capture({ level: 'info' }, true);
    terminal.logger.info('ready');
    expect(terminal.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}ready\n$/);
    const pipe = capture({ level: 'info' }, false);
    pipe.logger.info('ready');
    expect(JSON.parse(pipe.lines[0] ?? '')).toMatchObject({ level: 'info', msg: 'ready' });
  });
});
