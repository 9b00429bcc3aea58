import { DefinitionError, isSweepInput, setField, type JsonValue } from '@trainyard/contract';

/** One `--set path=value`: the value as JSON when it reads as JSON (5, 0.1, true, "x", [..]), else the text. */
export interface Override {
  path: string;
  value: JsonValue;
}

/**
 * `--set epochs=5 --set optimizer.learningRate=0.1` and `--epochs 5`, as Keras users reach for
 * them: changes to the definition file's values, checked like the file itself afterwards.
 */
export function parseOverrides(sets: readonly string[] = [], epochs?: string): Override[] {
  const overrides = sets.map((set): Override => {
    const at = set.indexOf('=');
    if (at <= 0) throw new DefinitionError('INVALID_DEFINITION', [{ path: '--set', message: `${JSON.stringify(set)} must be FIELD=VALUE, e.g. --set optimizer.learningRate=0.1` }]);
    return { path: set.slice(0, at).trim(), value: jsonOrText(set.slice(at + 1)) };
  });
  if (epochs !== undefined) overrides.push({ path: 'epochs', value: jsonOrText(epochs) });
  return overrides;
}

function jsonOrText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** The definition (or a sweep's base) with the overrides applied, in order. */
export function applyOverrides(input: unknown, overrides: readonly Override[]): unknown {
  if (overrides.length === 0 || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const sweep = isSweepInput(input);
  let target = (sweep ? (input as { base?: unknown }).base : input) as Record<string, unknown>;
  if (typeof target !== 'object' || target === null || Array.isArray(target)) return input;
  for (const { path, value } of overrides) {
    try {
      target = setField(target, path, value);
    } catch (error) {
      throw new DefinitionError('INVALID_DEFINITION', [{ path: `--set ${path}`, message: (error as Error).message }]);
    }
  }
  return sweep ? { ...(input as Record<string, unknown>), base: target } : target;
}
