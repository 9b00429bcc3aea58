import { FINAL_STATUSES, RUN_STATUSES, shortParamNames, type RunView } from '@trainyard/contract';
import { formatMetrics } from './format.js';

const BAR = 20;
/** The name column's widest: longer names are cut in the middle, so a trial's parameters (at the end) still show. */
const NAME_WIDTH = 60;

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

  /** A sweep trial's name (`sweep path=value ... seed=n`) is shown with short parameter names. */
  track(id: string, name: string, epochs: number): void {
    this.lines.set(id, { name: compactTrialName(name), status: 'QUEUED', epoch: 0, epochs });
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
    if (!this.stream.isTTY && statusChanged) this.stream.write(`${render(line, this.nameWidth())}\n`);
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
    const width = this.nameWidth();
    const show = (line: Line): string => render(line, width);
    if (all.length <= height) return all.map(show);
    const counts = RUN_STATUSES.map((status) => [status, all.filter((line) => line.status === status).length] as const).filter(([, n]) => n > 0);
    const summary = `${all.length} runs: ${counts.map(([status, n]) => `${n} ${status.toLowerCase()}`).join(', ')}`;
    const running = all.filter((line) => line.status === 'RUNNING');
    const shown = running.slice(0, height - 1);
    const more = running.length - shown.length;
    return more > 0 ? [summary, ...shown.slice(0, -1).map(show), `... and ${more + 1} more running`] : [summary, ...shown.map(show)];
  }

  /** The longest name tracked, at most NAME_WIDTH: the columns line up without padding every name to the widest possible. */
  private nameWidth(): number {
    let width = 0;
    for (const line of this.lines.values()) width = Math.max(width, line.name.length);
    return Math.min(width, NAME_WIDTH);
  }
}

/** `optimizer.learningRate=0.01`: a field path (names, `[index]`, dots), `=`, a value. */
const PAIR = /^([A-Za-z_$][\w$]*(?:\[\d+\])*(?:\.[A-Za-z_$][\w$]*(?:\[\d+\])*)*)=(.+)$/;

/**
 * `california-lr optimizer.learningRate=0.01 seed=2` -> `california-lr learningRate=0.01 seed=2`:
 * the `path=value` words that end a name (as expandSweep names trials) get the short name of
 * their path. Other names are kept as they are.
 */
export function compactTrialName(name: string): string {
  const words = name.split(' ');
  let start = words.length;
  while (start > 1 && PAIR.test(words[start - 1] ?? '')) start--;
  if (start === words.length) return name;
  const pairs = words.slice(start).map((word) => PAIR.exec(word)?.slice(1) ?? [word, '']);
  const names = shortParamNames(pairs.map(([path = '']) => path));
  return [...words.slice(0, start), ...pairs.map(([path = '', value = '']) => `${names.get(path) ?? path}=${value}`)].join(' ');
}

/** At most `width` characters, padded to it: a longer text keeps its start and end around an ellipsis. */
function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

function render(line: Line, width: number): string {
  const done = line.epochs > 0 ? Math.min(1, line.epoch / line.epochs) : 0;
  const filled = Math.round(done * BAR);
  const bar = `[${'='.repeat(filled)}${'.'.repeat(BAR - filled)}]`;
  const metrics = line.metrics ? ` ${formatMetrics(line.metrics)}` : '';
  return `${fit(line.name, width)} ${line.status.padEnd(9)} ${bar} ${line.epoch}/${line.epochs}${metrics}`;
}

export function isFinal(status: RunView['status']): boolean {
  return FINAL_STATUSES.includes(status);
}
