import { z } from 'zod';
import type { ImageFolderProfile } from '@trainyard/data/image-folders';
import { tableProfileSchema } from './table-profile.schema.js';

/*
 * What is known of an uploaded folder of images (a zip or tar of one folder per class):
 * computed at upload by decoding every image (libs/data's profileImageFolder), stored with the
 * dataset version; the submission checks a definition's classes against it, the dashboard
 * shows the counts and thumbnails.
 */

const range = z.object({ min: z.number().int().positive(), max: z.number().int().positive() });

export const imageFolderProfileSchema = z.object({
  format: z.literal('images'),
  archive: z.enum(['zip', 'tar', 'tar.gz']),
  images: z.number().int().nonnegative(),
  classes: z.array(z.object({ name: z.string(), count: z.number().int().nonnegative() })).min(2),
  width: range,
  height: range,
  color: z.enum(['grayscale', 'color']),
  types: z.object({ png: z.number().int().nonnegative(), jpeg: z.number().int().nonnegative() }),
  thumbnails: z.array(
    z.object({ classIndex: z.number().int().nonnegative(), path: z.string(), width: z.number().int().positive(), height: z.number().int().positive(), rgb: z.base64() }),
  ),
}) satisfies z.ZodType<ImageFolderProfile>;

/** A dataset version's profile: a table's columns, or a folder of images' classes. */
export const datasetProfileSchema = z.union([tableProfileSchema, imageFolderProfileSchema]);
export type DatasetProfile = z.output<typeof datasetProfileSchema>;

/** The size a definition resizes a registered folder of images to (`dataset.image`). */
export const imageSizeSchema = z.strictObject({
  height: z.number().int().min(1).max(512),
  width: z.number().int().min(1).max(512),
  /** 1: grayscale, 3: RGB. */
  channels: z.literal([1, 3]).default(3),
});

export type { ImageFolderProfile, ImageSize } from '@trainyard/data/image-folders';
