import { get_dmmf } from '@prisma/prisma-schema-wasm';
import type { PrismaClient } from '../prisma-client.js';
import type { Shape } from './database-shape.js';

/* The same shape as databaseShape, computed from the models the generated client was built from. */

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isRequired: boolean;
  isList: boolean;
  hasDefaultValue: boolean;
  default?: { name?: string } | string | number | boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[]; indexes: DmmfIndex[] };
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Bytes: 'bytea',
};
const NATIVE_TYPES: Record<string, string> = { Uuid: 'uuid', Text: 'text', Integer: 'integer', DoublePrecision: 'double precision', JsonB: 'jsonb' };
// Defaults Prisma computes in the client (no DEFAULT clause in the table).
const CLIENT_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);
// What Prisma does when a relation does not say: Restrict for required, SetNull for optional.
const ON_DELETE: Record<string, string> = { Cascade: 'cascade', SetNull: 'set null', Restrict: 'restrict', NoAction: 'no action', SetDefault: 'set default' };

/** The Prisma schema the client runs with (it is embedded in the generated code). */
export function clientSchemaText(prisma: PrismaClient): string {
  const config = (prisma as unknown as { _engineConfig?: { inlineSchema?: unknown } })._engineConfig;
  if (typeof config?.inlineSchema !== 'string') throw new Error('the generated client no longer exposes its schema where this test looks (_engineConfig.inlineSchema)');
  return config.inlineSchema;
}

export function clientShape(schemaText: string): Shape {
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schemaText]], noColor: true }))) as Dmmf;
  const { models, enums, indexes } = dmmf.datamodel;
  const table = (name: string) => models.find((m) => m.name === name)?.dbName ?? name;
  const column = (model: string, field: string) => models.find((m) => m.name === model)?.fields.find((f) => f.name === field)?.dbName ?? field;
  const lines: string[] = [];
  for (const model of models) {
    for (const field of model.fields) {
      if (field.kind === 'object') {
        if (field.relationFromFields && field.relationFromFields.length > 0) {
          const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
          const from = field.relationFromFields.map((f) => column(model.name, f)).join(',');
          const to = (field.relationToFields ?? []).map((f) => column(field.type, f)).join(',');
          lines.push(`fk ${table(model.name)}(${from}) -> ${table(field.type)}(${to}) on delete ${ON_DELETE[onDelete] ?? onDelete}`);
        }
        continue;
      }
      const native = field.nativeType ? NATIVE_TYPES[field.nativeType[0]] : undefined;
      const type = field.kind === 'enum' ? field.type : (native ?? SCALAR_TYPES[field.type] ?? `unmapped ${field.type}`);
      const defaultName = typeof field.default === 'object' ? field.default.name : undefined;
      const dbDefault = field.hasDefaultValue && !(defaultName && CLIENT_DEFAULTS.has(defaultName));
      lines.push(`column ${table(model.name)}.${field.dbName ?? field.name} ${type}${field.isList ? '[]' : ''} ${field.isRequired ? 'not null' : 'null'}${dbDefault ? ' default' : ''}`);
    }
  }
  for (const e of enums) lines.push(`enum ${e.dbName ?? e.name} ${e.values.map((v) => v.dbName ?? v.name).join(',')}`);
  for (const index of indexes) {
    const kind = index.type === 'id' ? 'primary' : index.type;
    lines.push(`index ${table(index.model)}(${index.fields.map((f) => column(index.model, f.name)).join(',')}) ${kind}`);
  }
  return lines.sort();
}
