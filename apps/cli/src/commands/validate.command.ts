import { DefinitionError } from '@trainyard/contract';
import { specHash } from '@trainyard/experiments/pipeline';
import { EXIT, printJson, type CliIo } from '../cli-io.js';
import type { Override } from '../overrides.js';
import { readDefinition } from '../read-definition.js';

/** `trainyard validate FILE`: checks a definition without training it. */
export async function validateCommand(file: string, json: boolean, io: CliIo, overrides: readonly Override[] = []): Promise<number> {
  try {
    const def = await readDefinition(file, overrides);
    if (json) printJson(io, { valid: true, name: def.name, specHash: specHash(def), definition: def });
    else io.stdout.write(`${file}: valid definition "${def.name}"\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    if (json) printJson(io, { valid: false, issues: error.issues });
    else io.stderr.write(`${file}: invalid definition\n${indent(error.message)}\n`);
    return EXIT.usage;
  }
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
