import { FINAL_STATUSES, type RunView } from '@trainyard/experiments';
import { formatMetrics } from './format.js';

const BAR = 20;

interface Line {
  name: string;
  status: string;
  epoch: number;
  epochs: number;
  metrics?: Record<string, number>;
}

/**
 * One progress line per run while `submit --wait` follows them. A terminal gets the
 * block redrawn in place; logs and pipes get a line whenever a run changes status.
 */
export class RunBoard {
  private readonly lines = new Map<string, Line>();
  private drawn = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  track(id: string, name: string, epochs: number): void {
    this.lines.set(id, { name, status: 'QUEUED', epoch: 0, epochs });
  }

  update(id: string, change: Partial<Pick<Line, 'status' | 'epoch' | 'epochs' | 'metrics'>>): void {
    const line = this.lines.get(id);
    if (!line) return;
    const statusChanged = change.status !== undefined && change.status !== line.status;
    Object.assign(line, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
    if (!this.stream.isTTY && statusChanged) this.stream.write(`${render(line)}\n`);
  }

  draw(): void {
    if (!this.stream.isTTY) return;
    const text = [...this.lines.values()].map(render);
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.stream.write(`${up}${text.map((l) => `\r\x1b[2K${l}`).join('\n')}\n`);
    this.drawn = text.length;
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
