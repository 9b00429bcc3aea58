import { readFile } from 'node:fs/promises';
import { DefinitionError, parseDefinition, type ExperimentDefinition } from '@trainyard/contract';
import { applyOverrides, type Override } from './overrides.js';

/**
 * Reads and checks a definition file, with `--set` overrides applied first; a missing file is
 * reported like any other definition problem.
 */
export async function readDefinition(file: string, overrides: readonly Override[] = []): Promise<ExperimentDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new DefinitionError('INVALID_JSON', [{ path: '', message: `cannot read ${file}: ${reason}` }]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new DefinitionError('INVALID_JSON', [{ path: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return parseDefinition(applyOverrides(input, overrides));
}
