import { fileURLToPath } from 'node:url';
import type { BackendChoice } from '@trainyard/nn';
import { EXIT, type CliIo } from '../cli-io.js';
import { formatNumber, formatSeconds, renderTable } from '../output/format.js';
import { readDefinition } from '../read-definition.js';
import { trainInProcess, type TrainOutcome } from '../train-in-process.js';

/** The notebook's three tasks, in its order. */
const NOTEBOOK = ['notebook-1-multiply.json', 'notebook-2-sum.json', 'notebook-3-california.json'];
const EXAMPLES_DIR = fileURLToPath(new URL('../../../../examples/', import.meta.url));

export interface DemoOptions {
  backend: BackendChoice;
  dataHome: string;
  signal: AbortSignal;
}

/** `trainyard demo`: trains the notebook's three tasks in this process and prints a results table. */
export async function demoCommand(options: DemoOptions, io: CliIo): Promise<number> {
  const outcomes: TrainOutcome[] = [];
  for (const [i, file] of NOTEBOOK.entries()) {
    const def = await readDefinition(`${EXAMPLES_DIR}${file}`);
    io.stdout.write(`\n[${i + 1}/${NOTEBOOK.length}] ${def.name}: ${def.description ?? ''}\n`);
    const outcome = await trainInProcess(def, { ...options, progress: io.stdout }, io);
    outcomes.push(outcome);
    if (outcome.status === 'cancelled') break;
  }
  io.stdout.write(`\n${resultsTable(outcomes)}\n`);
  return outcomes.every((o) => o.status === 'succeeded') ? EXIT.ok : EXIT.failed;
}

function resultsTable(outcomes: TrainOutcome[]): string {
  const rows = outcomes.map((o) => {
    if (o.status !== 'succeeded') return [o.def.name, o.status, '-', '-', o.status === 'failed' ? o.error.message.split('\n')[0] ?? '' : '', '-'];
    const { result, start } = o;
    const metrics = Object.entries(result.testMetrics)
      .filter(([name]) => name !== 'loss')
      .map(([name, v]) => `${name} ${formatNumber(v)}`)
      .join(', ');
    const predictions = result.predictions.map((p) => `${JSON.stringify(p.input)}->${p.label ?? formatNumber(p.output[0] ?? NaN)}`).join(' ');
    return [o.def.name, o.status, String(start.summary.totalParams), formatSeconds(result.durationMs), metrics || '(no test part)', predictions];
  });
  return renderTable(['run', 'status', 'params', 'time', 'test metrics', 'predictions'], rows);
}
