import type { DestinationStream } from 'pino';

/** Fields every entry has, shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

/**
 * LOG_PRETTY: turns pino's JSON lines into short human ones for a terminal,
 * `12:04:31.207 WARN  attempt failed, retrying  runId=… attempt=1 workerId=… failure.code=DOWNLOAD_FAILED`,
 * with an error's stack indented below. Written here instead of depending on pino-pretty
 * (a dozen packages for what these few lines do).
 */
export function prettyStream(out: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      out.write(prettyLine(line));
    },
  };
}

export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof entry['time'] === 'string' || typeof entry['time'] === 'number' ? new Date(entry['time']) : new Date();
  const clock = `${time.toTimeString().slice(0, 8)}.${String(time.getMilliseconds()).padStart(3, '0')}`;
  const level = String(entry['level'] ?? '').toUpperCase().padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !HEAD.has(key))
    .flatMap(([key, value]) => flatten(key, value))
    .join(' ');
  let text = `${clock} ${level} ${String(entry['msg'] ?? '')}${fields ? `  ${fields}` : ''}\n`;
  const err = entry['err'] as { message?: unknown; stack?: unknown } | undefined;
  if (err) text += `${indent(typeof err.stack === 'string' ? err.stack : String(err.message))}\n`;
  return text;
}

function flatten(key: string, value: unknown): string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([inner, v]) => flatten(`${key}.${inner}`, v));
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return [`${key}=${/\s/.test(text) ? JSON.stringify(text) : text}`];
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
