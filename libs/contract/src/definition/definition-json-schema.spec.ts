import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFINITION_FIELD_HELP, definitionJsonSchema, type JsonSchema, submissionJsonSchema, SWEEP_FIELD_HELP, sweepJsonSchema } from './definition-json-schema.js';
import { safeParseDefinition } from './parse-definition.js';

const examplesDir = new URL('../../../../examples/', import.meta.url);
const EXAMPLES: [string, unknown][] = readdirSync(examplesDir)
  .filter((file) => file.endsWith('.json') && file !== 'package.json')
  .map((file) => [file, JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8'))]);

const isNode = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * The draft-4 keywords the generated schemas use, checked against a value: the paths where
 * it does not fit (empty when it does). Small on purpose; the editor's own validator
 * (json-schema-library) is exercised by the dashboard's browser test.
 */
function mismatches(schema: JsonSchema, value: unknown, path = ''): string[] {
  const here = (message: string): string[] => [`${path || '(root)'}: ${message}`];
  for (const union of ['anyOf', 'oneOf'] as const) {
    const branches = schema[union];
    if (!Array.isArray(branches)) continue;
    const fitting = branches.filter((branch) => isNode(branch) && mismatches(branch, value, path).length === 0).length;
    if (union === 'anyOf' ? fitting === 0 : fitting !== 1) return here(`${fitting} of the ${union} branches fit`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const type = typeOf(value);
    if (!types.includes(type) && !(type === 'integer' && types.includes('number'))) return here(`is ${type}, not ${types.join('|')}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) return here(`${JSON.stringify(value)} not in enum`);
  const problems: string[] = [];
  if (typeof value === 'number') {
    const { minimum, maximum } = schema;
    if (typeof minimum === 'number' && (schema.exclusiveMinimum === true ? value <= minimum : value < minimum)) problems.push(...here('below minimum'));
    if (typeof maximum === 'number' && (schema.exclusiveMaximum === true ? value >= maximum : value > maximum)) problems.push(...here('above maximum'));
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) problems.push(...here('too short'));
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) problems.push(...here('too long'));
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(...here('does not match the pattern'));
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) problems.push(...here('too few items'));
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) problems.push(...here('too many items'));
    value.forEach((item, i) => {
      const itemSchema = Array.isArray(schema.items) ? schema.items[i] : schema.items;
      if (isNode(itemSchema)) problems.push(...mismatches(itemSchema, item, `${path}[${i}]`));
    });
  }
  if (isNode(value)) {
    const properties = isNode(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    for (const key of required) if (!(key in value)) problems.push(...here(`misses ${String(key)}`));
    for (const [key, field] of Object.entries(value)) {
      const fieldSchema = properties[key] ?? schema.additionalProperties;
      if (fieldSchema === false) problems.push(...here(`has no field ${key}`));
      else if (isNode(fieldSchema)) problems.push(...mismatches(fieldSchema, field, path ? `${path}.${key}` : key));
    }
  }
  return problems;
}

/** Every field path that carries a description, in the notation of the help maps. */
function describedPaths(node: JsonSchema, path = '', into = new Map<string, string>()): Map<string, string> {
  if (isNode(node.properties)) {
    for (const [key, child] of Object.entries(node.properties)) {
      if (!isNode(child)) continue;
      const at = path ? `${path}.${key}` : key;
      if (typeof child.description === 'string') into.set(at, child.description);
      describedPaths(child, at, into);
    }
  }
  for (const union of ['anyOf', 'oneOf']) {
    const branches = node[union];
    if (Array.isArray(branches)) for (const branch of branches) if (isNode(branch)) describedPaths(branch, path, into);
  }
  if (isNode(node.items)) describedPaths(node.items, `${path}[]`, into);
  return into;
}

describe('the JSON Schema of a submission', () => {
  it('accepts every example in examples/, each by the schema its shape calls for', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(7);
    for (const [file, example] of EXAMPLES) {
      const schema = submissionJsonSchema(example);
      expect(schema.title, file).toBe(file.startsWith('sweep') ? 'sweep' : 'experiment definition');
      expect(mismatches(schema, example), file).toEqual([]);
    }
  });

  it("flags a field of the wrong type or an unknown field, at the field's path", () => {
    const [, notebook] = EXAMPLES.find(([file]) => file === 'notebook-2-sum.json') ?? [];
    expect(mismatches(definitionJsonSchema(), { ...(notebook as object), epochs: 'ten' })).toEqual(['epochs: is string, not integer']);
    expect(mismatches(definitionJsonSchema(), { ...(notebook as object), epoch: 3 })).toEqual(['(root): has no field epoch']);
    expect(mismatches(definitionJsonSchema(), { ...(notebook as object), optimizer: { name: 'sgd', learningRate: 0 } })).toEqual(['optimizer: 0 of the oneOf branches fit']);
  });

  it('accepts the short forms the zod schema reads too: an optimizer by name, Keras long loss and metric names', () => {
    const definition = { name: 'x', dataset: { name: 'multiply' }, model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: 'adam', loss: 'mean_squared_error', metrics: ['mean_absolute_error'], epochs: 3 };
    expect(safeParseDefinition(definition).ok).toBe(true);
    expect(mismatches(definitionJsonSchema(), definition)).toEqual([]);
    expect(mismatches(definitionJsonSchema(), { ...definition, optimizer: 'adamw' })).not.toEqual([]);
  });

  it("describes a sweep's base as a definition whose fields a trial may supply", () => {
    const sweep = { name: 's', base: { name: 's', dataset: { name: 'multiply' } }, grid: { epochs: [1, 2] } };
    expect(mismatches(sweepJsonSchema(), sweep)).toEqual([]);
    expect(mismatches(sweepJsonSchema(), { ...sweep, base: { ...sweep.base, epochs: 'ten' } })).toEqual(['base.epochs: is string, not integer']);
    expect(submissionJsonSchema(sweep).title).toBe('sweep');
  });

  it('carries help for every path of the help maps (a renamed field fails here), down to fields of union branches', () => {
    const definition = describedPaths(definitionJsonSchema());
    for (const [path, help] of Object.entries(DEFINITION_FIELD_HELP)) expect(definition.get(path), path).toBe(help);
    const sweep = describedPaths(sweepJsonSchema());
    for (const [path, help] of Object.entries(SWEEP_FIELD_HELP)) expect(sweep.get(path), path).toBe(help);
    expect(sweep.get('base.optimizer.learningRate')).toBe(DEFINITION_FIELD_HELP['optimizer.learningRate']);
  });

  it('hands out copies: a caller changing its schema changes no other', () => {
    const first = definitionJsonSchema();
    first.title = 'changed';
    expect(definitionJsonSchema().title).toBe('experiment definition');
  });
});
