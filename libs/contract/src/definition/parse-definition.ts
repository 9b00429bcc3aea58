import { factsOf } from './dataset-facts.js';
import { DefinitionError, type DefinitionIssue } from './definition-error.js';
import { checkDefinition } from './definition-rules.js';
import { experimentDefinitionSchema, type ExperimentDefinition } from './experiment-definition.schema.js';
import { issuesFromZod } from './zod-issues.js';

export type DefinitionResult =
  | { ok: true; definition: ExperimentDefinition }
  | { ok: false; issues: DefinitionIssue[] };

/** Parses and checks a definition; never throws. */
export function safeParseDefinition(input: unknown): DefinitionResult {
  // reportInput: the issues carry what was given, so a wrong type is told from a missing field.
  const parsed = experimentDefinitionSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  const issues = checkDefinition(parsed.data, factsOf(parsed.data.dataset));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: parsed.data };
}

/** Parses and checks a definition; throws a DefinitionError listing every problem. */
export function parseDefinition(input: unknown): ExperimentDefinition {
  const result = safeParseDefinition(input);
  if (!result.ok) throw new DefinitionError('INVALID_DEFINITION', result.issues);
  return result.definition;
}

/** Parses JSON text (a file, a request body) into a checked definition. */
export function parseDefinitionJson(text: string): ExperimentDefinition {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new DefinitionError('INVALID_JSON', [{ path: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return parseDefinition(input);
}
