import { createLogger, type Logger, type LogLevel } from '@trainyard/experiments';

/** One JSON log line, parsed. */
export interface LogEntry {
  level: string;
  time: string;
  msg: string;
  [field: string]: unknown;
}

/**
 * A real logger (createLogger, JSON lines) that writes into memory: each test reads the lines
 * a person would read, as they would be written.
 */
export function memoryLogger(level: LogLevel = 'debug'): { logger: Logger; entries: LogEntry[]; lines: string[] } {
  const entries: LogEntry[] = [];
  const lines: string[] = [];
  const logger = createLogger(
    { level, pretty: false },
    {
      write(line: string) {
        lines.push(line);
        entries.push(JSON.parse(line) as LogEntry);
      },
    },
  );
  return { logger, entries, lines };
}
