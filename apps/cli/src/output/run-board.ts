import { FINAL_STATUSES, RUN_STATUSES, type RunView } from '@trainyard/contract';
import { formatMetrics } from './format.js';

const BAR = 20;

interface Line {
  name: string;
  status: RunView['status'];
  epoch: number;
  epochs: number;
  metrics?: Record<string, number>;
}

/** What RunBoard writes to: a terminal (isTTY, rows) or a log or pipe. */
export type BoardStream = Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'rows'>;

/**
 * One progress line per run while `submit --wait` follows them. A terminal gets the block
 * redrawn in place; when the runs do not fit its height (a big sweep), a count per status
 * and the runs in training stand for them. Logs and pipes get a line whenever a run
 * changes status.
 */
export class RunBoard {
  private readonly lines = new Map<string, Line>();
  private drawn = 0;

  constructor(private readonly stream: BoardStream) {}

  track(id: string, name: string, epochs: number): void {
    this.lines.set(id, { name, status: 'QUEUED', epoch: 0, epochs });
  }

  /**
   * Updates a run's line from a live event or a polled snapshot. They arrive in any order, so
   * a run never moves backwards: a final status stays, and within a status the epoch only
   * grows (a polled snapshot older than the last live event changes nothing). A new attempt
   * goes through QUEUED and starts from epoch 0 again.
   */
  update(id: string, change: Partial<Pick<Line, 'status' | 'epoch' | 'epochs' | 'metrics'>>): void {
    const line = this.lines.get(id);
    if (!line) return;
    if (isFinal(line.status) && (change.status === undefined || !isFinal(change.status))) return;
    const sameStatus = change.status === undefined || change.status === line.status;
    if (sameStatus && change.epoch !== undefined && change.epoch < line.epoch) return;
    const statusChanged = change.status !== undefined && change.status !== line.status;
    Object.assign(line, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
    if (!this.stream.isTTY && statusChanged) this.stream.write(`${render(line)}\n`);
  }

  draw(): void {
    if (!this.stream.isTTY) return;
    const text = this.block(Math.max(3, (this.stream.rows || 24) - 1));
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    // Each line is cleared before it is written, and what an earlier, taller block left below is erased.
    this.stream.write(`${up}${text.map((l) => `\r\x1b[2K${l}`).join('\n')}\n\x1b[J`);
    this.drawn = text.length;
  }

  /** The lines to show, at most `height` of them. */
  private block(height: number): string[] {
    const all = [...this.lines.values()];
    if (all.length <= height) return all.map(render);
    const counts = RUN_STATUSES.map((status) => [status, all.filter((line) => line.status === status).length] as const).filter(([, n]) => n > 0);
    const summary = `${all.length} runs: ${counts.map(([status, n]) => `${n} ${status.toLowerCase()}`).join(', ')}`;
    const running = all.filter((line) => line.status === 'RUNNING');
    const shown = running.slice(0, height - 1);
    const more = running.length - shown.length;
    return more > 0 ? [summary, ...shown.slice(0, -1).map(render), `... and ${more + 1} more running`] : [summary, ...shown.map(render)];
  }
}

function render(line: Line): string {
  const done = line.epochs > 0 ? Math.min(1, line.epoch / line.epochs) : 0;
  const filled = Math.round(done * BAR);
  const bar = `[${'='.repeat(filled)}${'.'.repeat(BAR - filled)}]`;
  const metrics = line.metrics ? ` ${formatMetrics(line.metrics)}` : '';
  return `${line.name.slice(0, 40).padEnd(40)} ${line.status.padEnd(9)} ${bar} ${line.epoch}/${line.epochs}${metrics}`;
}

export function isFinal(status: RunView['status']): boolean {
  return FINAL_STATUSES.includes(status);
}
