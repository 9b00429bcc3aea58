import { z } from 'zod';
import type { PreprocessorState } from '@trainyard/data/preprocessor-state';

/*
 * The fitted preprocessing saved with a model (the PREPROCESSOR artifact, the `done` event's
 * `preprocessor`): version 1 scales number features; version 2 (tables) adds, per feature
 * column, the imputation and the one-hot categories. libs/data's parsePreprocessorState checks
 * the same shapes field by field when a model is loaded.
 */

const task = z.enum(['regression', 'classification']);
const names = z.array(z.string()).min(1);

export const scalerStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('minmax'), min: z.array(z.number()), max: z.array(z.number()) }),
  z.object({ kind: z.literal('standard'), mean: z.array(z.number()), std: z.array(z.number()) }),
  // Image pixels divided by the largest pixel value (255, or 16 for digits); added with the image datasets.
  z.object({ kind: z.literal('pixels'), max: z.number().positive() }),
]);

export const columnStateSchema = z.discriminatedUnion('type', [
  z.object({
    name: z.string(),
    type: z.literal('number'),
    impute: z.enum(['mean', 'median', 'most_frequent', 'constant', 'drop']),
    fillValue: z.number(),
  }),
  z.object({
    name: z.string(),
    type: z.enum(['category', 'boolean']),
    impute: z.enum(['missing_category', 'most_frequent', 'constant', 'drop']),
    fillValue: z.string().optional(),
    categories: z.array(z.string()).min(1),
  }),
]);

const common = {
  task,
  featureNames: names,
  targetNames: names,
  classNames: z.array(z.string()).min(1).optional(),
  features: scalerStateSchema,
  target: scalerStateSchema,
};

export const preprocessorStateSchema = z.discriminatedUnion('version', [
  z.object({ version: z.literal(1), ...common }),
  z.object({ version: z.literal(2), ...common, columns: z.array(columnStateSchema) }),
]) satisfies z.ZodType<PreprocessorState>;
