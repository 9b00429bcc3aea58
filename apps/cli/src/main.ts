import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EXIT, type CliIo } from './cli-io.js';
import { demoCommand } from './commands/demo.command.js';
import { trainCommand } from './commands/train.command.js';
import { validateCommand } from './commands/validate.command.js';
import { readEnv } from './env.js';

const USAGE = `trainyard: Keras-style neural-network experiments in TypeScript

Usage:
  trainyard train FILE [--backend auto|tensorflow|wasm|cpu] [--out DIR] [--json]
      Train a definition in this process: progress per epoch, model summary,
      test metrics, true vs predicted, predictions. --out saves a TensorFlow.js
      layers model (model.json, weights.bin) and preprocessor.json.
  trainyard validate FILE [--json]
      Check a definition; every problem names its field.
  trainyard demo [--backend ...]
      Train the notebook's three tasks and print a results table.

Environment:
  TRAINYARD_DATA_HOME   dataset cache (default ~/.trainyard/data)
`;

const backendSchema = z.enum(['auto', 'tensorflow', 'wasm', 'cpu']);

export async function main(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  const backend = backendSchema.safeParse(values.backend);
  if (!backend.success) return usageError(io, `--backend must be one of auto, tensorflow, wasm, cpu (got "${values.backend}")`);
  if (extra.length > 0) return usageError(io, `unexpected arguments: ${extra.join(' ')}`);

  const env = readEnv();
  const controller = new AbortController();
  // First Ctrl-C stops the run after its current batch; a second one exits at once.
  process.once('SIGINT', () => {
    io.stderr.write('\nStopping after the current batch (Ctrl-C again to quit now)...\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(EXIT.interrupted));
  });

  switch (command) {
    case 'train':
      if (!file) return usageError(io, 'train needs a definition FILE');
      return trainCommand(
        file,
        { backend: backend.data, dataHome: env.dataHome, json: values.json, signal: controller.signal, ...(values.out ? { out: values.out } : {}) },
        io,
      );
    case 'validate':
      if (!file) return usageError(io, 'validate needs a definition FILE');
      return validateCommand(file, values.json, io);
    case 'demo':
      return demoCommand({ backend: backend.data, dataHome: env.dataHome, signal: controller.signal }, io);
    default:
      return usageError(io, `unknown command "${command}"`);
  }
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`trainyard: ${message}\nRun "trainyard --help" for usage.\n`);
  return EXIT.usage;
}

try {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`trainyard: ${message}\n`);
  process.exitCode = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? EXIT.usage : EXIT.failed;
}
