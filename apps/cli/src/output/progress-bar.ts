import { formatMetrics, formatSeconds } from './format.js';

const WIDTH = 30;

/**
 * Keras-style fit progress: on a terminal one line per epoch that fills while the
 * epoch runs; elsewhere (logs, pipes) only the finished epoch lines.
 */
export class EpochProgress {
  private readonly pad: number;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly epochs: number,
  ) {
    this.pad = String(epochs).length;
  }

  batch(epoch: number, batch: number, batches: number): void {
    if (!this.stream.isTTY) return;
    this.stream.write(`\r${this.prefix(epoch)}  ${this.bar(batch, batches)}`);
  }

  epoch(epoch: number, batches: number, durationMs: number, metrics: Record<string, number>): void {
    const clear = this.stream.isTTY ? '\r\x1b[2K' : '';
    const bar = batches > 0 ? `${this.bar(batches, batches)} ` : '';
    this.stream.write(`${clear}${this.prefix(epoch)}  ${bar}${formatSeconds(durationMs)} - ${formatMetrics(metrics)}\n`);
  }

  private prefix(epoch: number): string {
    return `Epoch ${String(epoch).padStart(this.pad)}/${this.epochs}`;
  }

  private bar(done: number, total: number): string {
    const filled = Math.round((done / total) * WIDTH);
    const head = filled < WIDTH ? '>' : '';
    const count = `${String(done).padStart(String(total).length)}/${total}`;
    return `${count} [${'='.repeat(Math.max(0, filled - head.length))}${head}${'.'.repeat(WIDTH - filled)}]`;
  }
}
