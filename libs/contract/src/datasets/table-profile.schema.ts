import { z } from 'zod';
import { COLUMN_TYPES, type Cell, type ColumnOptions, type ColumnProfile, type TableProfile } from '@trainyard/data/tables';

/*
 * What is known of a table once it is uploaded: its columns' inferred types and statistics,
 * computed over every row at upload (libs/data's profileTable) and stored with the dataset
 * version. The submission checks a definition against it (a target or feature column that is
 * not there, a free-text feature) before anything is queued; the dashboard draws it.
 */

export const cellSchema = z.union([z.number(), z.string(), z.null()]) satisfies z.ZodType<Cell>;
export const columnTypeSchema = z.enum(COLUMN_TYPES);

export const histogramSchema = z.object({ edges: z.array(z.number()), counts: z.array(z.number().int().nonnegative()) });

export const columnProfileSchema = z.object({
  name: z.string(),
  type: columnTypeSchema,
  missing: z.number().int().nonnegative(),
  distinct: z.number().int().nonnegative(),
  distinctCapped: z.boolean(),
  min: z.number().optional(),
  max: z.number().optional(),
  mean: z.number().optional(),
  std: z.number().optional(),
  histogram: histogramSchema.optional(),
  top: z.array(z.object({ value: z.string(), count: z.number().int().positive() })).optional(),
}) satisfies z.ZodType<ColumnProfile>;

export const tableProfileSchema = z.object({
  format: z.enum(['csv', 'tsv']),
  delimiter: z.enum([',', ';', '\t']),
  rows: z.number().int().nonnegative(),
  columns: z.array(columnProfileSchema).min(1),
  preview: z.array(z.array(cellSchema)),
}) satisfies z.ZodType<TableProfile>;

/** preprocessing.columns.<name>: what differs from the defaults for one column. */
export const columnOptionsSchema = z.strictObject({
  type: z.enum(['number', 'category', 'boolean']).optional(),
  impute: z.enum(['mean', 'median', 'most_frequent', 'constant', 'drop']).optional(),
  fillValue: z.union([z.number(), z.string().max(200)]).optional(),
}) satisfies z.ZodType<ColumnOptions>;

export type { Cell, ColumnOptions, ColumnProfile, ColumnType, TableProfile } from '@trainyard/data/tables';
