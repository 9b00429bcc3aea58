import type { ImageFolderProfile, ImageSize } from '@trainyard/data/image-folders';
import type { DatasetFacts } from '../definition/dataset-facts.js';
import type { DefinitionIssue } from '../definition/definition-error.js';
import { isRegisteredDataset, type ExperimentDefinition } from '../definition/experiment-definition.schema.js';

/*
 * A definition against a registered folder of images (a version's profile, stored at upload):
 * the checks the server runs at submission, before anything is queued.
 */

/** 8-bit pictures: every channel 0..255. */
const PIXEL_MAX = 255;

/** The `image` size of a registered dataset, when the definition gives one. */
function imageSize(def: ExperimentDefinition): ImageSize | undefined {
  return isRegisteredDataset(def.dataset) ? def.dataset.image : undefined;
}

function hasTableFields(def: ExperimentDefinition): boolean {
  return isRegisteredDataset(def.dataset) && (def.dataset.target !== undefined || def.dataset.features !== undefined);
}

/** A table dataset given an `image` size, or a folder of images without one (or with table fields). */
export function imageIssues(def: ExperimentDefinition, profile: ImageFolderProfile, label: string): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const classes = profile.classes.map((c) => c.name).slice(0, 5).join(', ');
  const what = `${label} is a folder of images (${profile.images} images in ${profile.classes.length} classes: ${classes}${profile.classes.length > 5 ? ', …' : ''})`;
  if (!imageSize(def)) {
    const side = Math.min(64, profile.width.min, profile.height.min);
    const channels = profile.color === 'grayscale' ? 1 : 3;
    issues.push({
      path: 'dataset.image',
      message: `${what}: give the size every image is resized to, e.g. "image": {"height": ${side}, "width": ${side}, "channels": ${channels}}`,
    });
  }
  if (hasTableFields(def)) issues.push({ path: 'dataset.target', message: `${what}: its classes are its folders, so it takes no target or features` });
  if (def.preprocessing.columns !== undefined) issues.push({ path: 'preprocessing.columns', message: `${what}: it has no columns` });
  return issues;
}

/** A folder of images as checkDefinition sees it: classification over its folders, one row per image. */
export function imageFacts(def: ExperimentDefinition, profile: ImageFolderProfile): DatasetFacts {
  const size = imageSize(def) ?? { height: 1, width: 1, channels: 1 };
  return {
    task: 'classification',
    targets: 1,
    classes: profile.classes.length,
    rows: profile.images,
    features: size.height * size.width * size.channels,
    imageShape: [size.height, size.width, size.channels],
    pixelMax: PIXEL_MAX,
  };
}

/** A registered table named with an `image` size. */
export function notImagesIssue(def: ExperimentDefinition, label: string): DefinitionIssue[] {
  return imageSize(def) ? [{ path: 'dataset.image', message: `${label} is a table, not a folder of images: leave image out` }] : [];
}
