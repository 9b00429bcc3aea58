import { readFile } from 'node:fs/promises';
import { DefinitionError, parseDefinitionJson, type ExperimentDefinition } from '@trainyard/contract';

/** Reads and checks a definition file; a missing file is reported like any other definition problem. */
export async function readDefinition(file: string): Promise<ExperimentDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new DefinitionError('INVALID_JSON', [{ path: '', message: `cannot read ${file}: ${reason}` }]);
  }
  return parseDefinitionJson(text);
}
