import { parseArgs } from 'node:util';
import { ApiClient, ApiError, describeApiError } from './api-client.js';
import { DefinitionError } from '@trainyard/contract';
import { EXIT, type CliIo } from './cli-io.js';
import { parseOverrides, type Override } from './overrides.js';

const USAGE = `trainyard: Keras-style neural-network experiments in TypeScript

In this process (no queue, no database):
  trainyard train FILE [--backend auto|tensorflow|wasm|cpu] [--out DIR]
      Train a definition: progress per epoch, model summary, test metrics,
      true vs predicted, predictions. --out saves a TensorFlow.js layers model
      (model.json, weights.bin) and preprocessor.json.
  trainyard validate FILE          Check a definition; every problem names its field.
  train, validate and submit take --set FIELD=VALUE (any number; e.g. --set epochs=5
      --set optimizer.learningRate=0.1; a sweep's base) and --epochs N.

Services (Redis at REDIS_URL; PostgreSQL at DATABASE_URL, else embedded PGlite in .trainyard/db):
  trainyard up [--concurrency N]   API + dashboard + worker + embedded database in one process.
  trainyard worker [--concurrency N]   A worker (team mode: any number, on any machines).
  trainyard dashboard              The API and dashboard alone.
  trainyard demo [--exit]          Start 'up', submit the notebook's three tasks and a small
                                   sweep, follow them, print a results table, keep the API
                                   running (--exit: stop when the runs are done).

Through the API (TRAINYARD_URL, default http://127.0.0.1:3000):
  trainyard submit FILE [--wait] [--dataset-name NAME]
                                   Queue a definition or a sweep; --wait follows the runs. A local
                                   {"name": "csv", "path": ...} dataset (resolved against FILE's
                                   folder) is uploaded first, once per content, as NAME (default:
                                   the file's name) and the run names that version.
  trainyard dataset add FILE [--name NAME]   Upload a table (CSV/TSV): prints NAME@VERSION and its columns.
  trainyard dataset ls | show NAME[@VERSION] | get NAME@VERSION [--out FILE] | rm NAME@VERSION
                                   ("trainyard dataset --help" for each)
  trainyard ls [--status S] [--name N] [--sweep ID] [--limit K]
  trainyard show RUN               Everything recorded about a run, with its epochs.
  trainyard cancel RUN             Stop a queued or running run.
  trainyard rerun RUN [--wait]     Queue the same definition and seed; --wait follows it and ends
                                   with whether it reproduced.
  trainyard export RUN --out DIR   The trained model (model.json, weights.bin, preprocessor.json).
  trainyard predict RUN --input JSON   Predict raw rows, e.g. --input '[[5],[-9]]' or '[[52,"north",null]]'
                                   (texts for category columns, null for a missing cell).

Every command takes --json for machine output.

Environment:
  TRAINYARD_DATA_HOME   dataset cache (default ~/.trainyard/data)
  TRAINYARD_URL         the API for submit, ls, show, ... (default http://127.0.0.1:3000)
  TRAINYARD_API_TOKEN   bearer token sent with every request, when the server requires one
  REDIS_URL             queue (default redis://127.0.0.1:6379)
  DATABASE_URL          PostgreSQL for team mode (default: embedded PGlite in TRAINYARD_DB_DIR)
  HOST, PORT            where up/dashboard listen (default 127.0.0.1:3000; another
                        HOST only with TRAINYARD_API_TOKEN)
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      input: { type: 'string' },
      status: { type: 'string' },
      name: { type: 'string' },
      sweep: { type: 'string' },
      limit: { type: 'string' },
      'dataset-name': { type: 'string' },
      set: { type: 'string', multiple: true },
      epochs: { type: 'string' },
      concurrency: { type: 'string' },
      exit: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, target, ...extra] = positionals;
  if (command === 'dataset') return await datasetMain(target, extra, values, io);
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  // Loaded after --help: TensorFlow.js, Prisma, BullMQ and Fastify take seconds to load, and each
  // command loads only what it needs.
  const [{ parseBackend }, { readEnv }] = await Promise.all([import('./backend-choice.js'), import('./env.js')]);
  const backend = parseBackend(values.backend);
  if (!backend.ok) return usageError(io, backend.message);
  if (extra.length > 0) return usageError(io, `unexpected arguments: ${extra.join(' ')}`);
  let overrides: Override[];
  try {
    overrides = parseOverrides(values.set, values.epochs);
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    return usageError(io, error.message);
  }

  const env = readEnv();
  const controller = new AbortController();
  // First Ctrl-C stops the work after its current step; a second one exits at once.
  process.once('SIGINT', () => {
    io.stderr.write('\nStopping (Ctrl-C again to quit now)...\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(EXIT.interrupted));
  });
  const api = new ApiClient(env.apiUrl, env.apiToken);
  const { json } = values;
  const need = (what: string): string | undefined => {
    if (!target) usageError(io, `${command} needs ${what}`);
    return target;
  };

  try {
    switch (command) {
      case 'train': {
        const file = need('a definition FILE');
        if (!file) return EXIT.usage;
        return await (await import('./commands/train.command.js')).trainCommand(file, { backend: backend.backend, dataHome: env.dataHome, json, signal: controller.signal, ...(values.out ? { out: values.out } : {}), overrides }, io);
      }
      case 'validate': {
        const file = need('a definition FILE');
        return file ? await (await import('./commands/validate.command.js')).validateCommand(file, json, io, overrides) : EXIT.usage;
      }
      case 'demo':
        return await (await import('./commands/demo.command.js')).demoCommand({ signal: controller.signal, stayUp: !values.exit, apiToken: env.apiToken }, io);
      case 'up':
      case 'worker':
      case 'dashboard': {
        const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
        if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) {
          return usageError(io, `--concurrency must be a whole number from 1 to 64 (got "${values.concurrency}")`);
        }
        return await (await import('./commands/serve.command.js')).serveCommand(command, concurrency === undefined ? {} : { concurrency }, io);
      }
      case 'submit': {
        const file = need('a definition or sweep FILE');
        const datasetName = values['dataset-name'];
        return file ? await (await import('./commands/submit.command.js')).submitCommand(file, { wait: values.wait, json, signal: controller.signal, overrides, ...(datasetName !== undefined ? { datasetName } : {}) }, api, io) : EXIT.usage;
      }
      case 'ls':
        return await (await import('./commands/runs.command.js')).lsCommand({ ...pick(values, ['status', 'name', 'sweep', 'limit']), json }, api, io);
      case 'show':
      case 'cancel':
      case 'rerun':
      case 'export':
      case 'predict': {
        const id = need('a RUN id');
        if (!id) return EXIT.usage;
        const { cancelCommand, exportCommand, predictCommand, rerunCommand, showCommand } = await import('./commands/runs.command.js');
        if (command === 'show') return await showCommand(id, json, api, io);
        if (command === 'cancel') return await cancelCommand(id, json, api, io);
        if (command === 'rerun') return await rerunCommand(id, json, api, io, { wait: values.wait, signal: controller.signal });
        if (command === 'export') return values.out ? await exportCommand(id, values.out, json, api, io) : usageError(io, 'export needs --out DIR');
        return values.input ? await predictCommand(id, values.input, json, api, io) : usageError(io, 'predict needs --input JSON');
      }
      default:
        return usageError(io, `unknown command "${command}"`);
    }
  } catch (error) {
    return reportApiError(error, io);
  }
}

/** `trainyard dataset ACTION [ARG] [--name N] [--out FILE] [--json]`; `--help` after any action shows its own. */
async function datasetMain(action: string | undefined, args: string[], values: { help: boolean; json: boolean; name?: string | undefined; out?: string | undefined }, io: CliIo): Promise<number> {
  const { DATASET_HELP, DATASET_USAGE, datasetCommand, isDatasetAction } = await import('./commands/dataset.command.js');
  if (action === undefined || action === 'help' || (values.help && !isDatasetAction(action))) {
    io.stdout.write(DATASET_USAGE);
    return action === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (!isDatasetAction(action)) return usageError(io, `unknown dataset command "${action}": add, ls, show, get or rm`);
  if (values.help) {
    io.stdout.write(DATASET_HELP[action]);
    return EXIT.ok;
  }
  const [arg, ...extra] = args;
  if (extra.length > 0) return usageError(io, `unexpected arguments: ${extra.join(' ')}`);
  const { readEnv } = await import('./env.js');
  const env = readEnv();
  try {
    return await datasetCommand(action, { arg, json: values.json, ...pick(values, ['name', 'out']) }, new ApiClient(env.apiUrl, env.apiToken), io);
  } catch (error) {
    return reportApiError(error, io);
  }
}

/** An API error as one line (and the fields it names), exit 2 for what the request got wrong, 1 otherwise. */
async function reportApiError(error: unknown, io: CliIo): Promise<number> {
  if (!(error instanceof ApiError)) throw error;
  const { indent } = await import('./commands/validate.command.js');
  const [first, ...rest] = describeApiError(error).split('\n');
  io.stderr.write(`trainyard: ${first}\n${rest.length > 0 ? `${indent(rest.join('\n'))}\n` : ''}`);
  return error.status >= 400 && error.status < 500 ? EXIT.usage : EXIT.failed;
}

function pick<T extends Record<string, unknown>, K extends keyof T>(values: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => values[k] !== undefined).map((k) => [k, values[k]])) as Partial<Pick<T, K>>;
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
