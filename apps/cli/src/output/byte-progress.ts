import { formatBytes } from './format.js';

const WIDTH = 30;
/** Redraws at most this often: a fast upload would otherwise write a line per 64 KiB chunk. */
const REDRAW_MS = 100;

/** What ByteProgress writes to: a terminal, or a log or pipe (where it writes nothing). */
export type ProgressStream = Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;

/**
 * Bytes sent of a total, on one terminal line that fills as an upload or a download goes:
 * `Uploading apartments.csv  12.0 MiB / 100.0 MiB [===>......]  12%`. Logs and pipes get
 * nothing (the command's result line says what happened).
 */
export class ByteProgress {
  private done = 0;
  private drawnAt = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(bytes: number): void {
    this.done += bytes;
    if (!this.stream.isTTY || this.now() - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = this.now();
    this.stream.write(`\r\x1b[2K${renderBytes(this.label, this.done, this.total)}`);
  }

  /** Clears the line (the command prints its result next). */
  finish(): void {
    if (this.stream.isTTY && this.drawnAt > 0) this.stream.write('\r\x1b[2K');
  }

  /** The stream's bytes pass through, counted as they are read. */
  counting(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    return source.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          this.add(chunk.byteLength);
          controller.enqueue(chunk);
        },
      }),
    );
  }
}

/** `Uploading a.csv  1.0 MiB / 4.0 MiB [=======>......................]  25%`. */
export function renderBytes(label: string, done: number, total: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.floor(fraction * WIDTH);
  const head = filled < WIDTH ? '>' : '';
  const bar = `[${'='.repeat(Math.max(0, filled - head.length))}${head}${'.'.repeat(WIDTH - filled)}]`;
  return `${label}  ${formatBytes(done)} / ${formatBytes(total)} ${bar} ${String(Math.floor(fraction * 100)).padStart(3)}%`;
}
