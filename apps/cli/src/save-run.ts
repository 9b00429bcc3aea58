import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExperimentDefinition, ModelFileName } from '@trainyard/contract';
import type { RunResult, StartEvent } from '@trainyard/experiments/pipeline';
import { writeModelFiles } from '@trainyard/nn';

/**
 * Writes a trained run as files: model.json + weights.bin (a standard TensorFlow.js layers
 * model, loadable with tf.loadLayersModel), preprocessor.json (the fitted scaling, so
 * predictions take raw inputs) and run.json (definition, seed, backend, metrics).
 */
export async function saveRun(dir: string, def: ExperimentDefinition, start: StartEvent, result: RunResult): Promise<string[]> {
  const paths = await writeModelFiles(dir, result.model);
  const files: [string, string][] = [
    ['preprocessor.json' satisfies ModelFileName, JSON.stringify(result.preprocessor, null, 2)],
    [
      'run.json',
      JSON.stringify(
        {
          definition: def,
          seed: start.seed,
          backend: start.backend,
          dataset: { name: start.dataset.name, hash: start.dataset.hash, rows: start.dataset.rows },
          split: start.split,
          history: result.history,
          testMetrics: result.testMetrics,
        },
        null,
        2,
      ),
    ],
  ];
  for (const [name, content] of files) {
    const path = join(dir, name);
    await writeFile(path, content);
    paths.push(path);
  }
  return paths;
}
