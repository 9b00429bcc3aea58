import { rowViews } from '../datasets/row-views.js';
import { DatasetError } from '../errors/dataset-error.js';
import { archiveFiles, archiveFormat, type ArchiveFile } from './archive-files.js';
import { decodeImage, imageType, isGray, type DecodedImage } from './decode-image.js';
import type { ImageFolderProfile, ImageSize, ImageThumbnail } from './image-folder-types.js';
import { fitImage, fromRgba, toRow, type Pixels } from './pixels.js';

/** Files an archiver or an operating system adds beside the pictures; never read. */
const IGNORED = /(^|\/)(__MACOSX|\.[^/]*|Thumbs\.db|desktop\.ini)(\/|$)/i;
const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;
export const MAX_CLASSES = 1_000;
/** Thumbnails kept per class in a profile, and their largest side. */
const THUMBNAILS_PER_CLASS = 4;
const THUMBNAIL_SIDE = 48;

export interface ImageFolderFile {
  path: string;
  classIndex: number;
  file: ArchiveFile;
}

export interface ImageFolderLayout {
  /** Class folder names, sorted: class i is classes[i]. */
  classes: string[];
  /** Sorted by class, then path: the dataset's row order. */
  files: ImageFolderFile[];
}

/**
 * Keras' image_dataset_from_directory layout: `<class>/<...>/<image>`, optionally all under one
 * top folder (`flowers/daisy/1.jpg`). Anything else that is not an ignored system file is an
 * error naming it: a file outside a class folder, a file that is not a PNG or JPEG.
 */
export function imageFolderLayout(files: ArchiveFile[]): ImageFolderLayout {
  const kept = files.filter((file) => !IGNORED.test(file.path));
  if (kept.length === 0) throw new DatasetError('PARSE_ERROR', 'the archive holds no images: put one folder per class, each holding PNG or JPEG files');
  const parts = kept.map((file) => file.path.split('/').filter((part) => part !== ''));
  const top = parts[0]?.[0];
  const oneRoot = parts.every((p) => p.length >= 3 && p[0] === top);
  const byClass = new Map<string, { path: string; file: ArchiveFile }[]>();
  kept.forEach((file, i) => {
    const path = (parts[i] ?? []).slice(oneRoot ? 1 : 0);
    if (path.length < 2) throw new DatasetError('PARSE_ERROR', `'${file.path}' is not inside a class folder: put each image in a folder named after its class`);
    if (!IMAGE_EXTENSION.test(file.path)) throw new DatasetError('PARSE_ERROR', `'${file.path}' is not a PNG or JPEG file (.png, .jpg, .jpeg); remove it or convert it`);
    const name = path[0] ?? '';
    const list = byClass.get(name) ?? [];
    list.push({ path: file.path, file });
    byClass.set(name, list);
  });
  const classes = [...byClass.keys()].sort(compare);
  if (classes.length < 2) throw new DatasetError('PARSE_ERROR', `the archive has one class folder ('${classes[0] ?? ''}'); a classifier needs at least 2`);
  if (classes.length > MAX_CLASSES) throw new DatasetError('PARSE_ERROR', `the archive has ${classes.length} class folders; at most ${MAX_CLASSES}`);
  return {
    classes,
    files: classes.flatMap((name, classIndex) =>
      (byClass.get(name) ?? []).sort((a, b) => compare(a.path, b.path)).map(({ path, file }) => ({ path, classIndex, file })),
    ),
  };
}

/** Code-point order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The files of an uploaded archive laid out as classes; throws PARSE_ERROR naming what is wrong. */
export function readImageFolder(bytes: Uint8Array): ImageFolderLayout {
  return imageFolderLayout(archiveFiles(bytes));
}

/** Is this upload (by its first bytes) an archive, to be read as a folder of images rather than a table? */
export function isImageArchive(head: Uint8Array): boolean {
  return archiveFormat(head) !== undefined;
}

function thumbnail(image: DecodedImage, classIndex: number, path: string): ImageThumbnail {
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const small = fitImage(fromRgba(image.rgba, image.width, image.height, 3), [height, width, 3]);
  return { classIndex, path, width, height, rgb: Buffer.from(toRow(small, 255)).toString('base64') };
}

/**
 * Profiles an uploaded folder of images: every image decoded once (so a corrupt one is named
 * now, not when a run trains), per-class counts, sizes, whether all are gray, a few thumbnails
 * per class. `pause` is awaited between images so a server stays responsive while it works.
 */
export async function profileImageFolder(bytes: Uint8Array, pause: () => Promise<void> = () => new Promise((done) => setImmediate(done))): Promise<ImageFolderProfile> {
  const archive = archiveFormat(bytes);
  if (!archive) throw new DatasetError('PARSE_ERROR', 'not a zip or tar archive');
  const layout = readImageFolder(bytes);
  const counts = layout.classes.map(() => 0);
  const types = { png: 0, jpeg: 0 };
  const width = { min: Infinity, max: 0 };
  const height = { min: Infinity, max: 0 };
  let gray = true;
  const thumbnails: ImageThumbnail[] = [];
  for (const { path, classIndex, file } of layout.files) {
    const data = file.read();
    const image = decodeImage(data, path);
    types[imageType(data) ?? 'png']++;
    counts[classIndex] = (counts[classIndex] ?? 0) + 1;
    width.min = Math.min(width.min, image.width);
    width.max = Math.max(width.max, image.width);
    height.min = Math.min(height.min, image.height);
    height.max = Math.max(height.max, image.height);
    gray &&= isGray(image);
    if ((counts[classIndex] ?? 0) <= THUMBNAILS_PER_CLASS) thumbnails.push(thumbnail(image, classIndex, path));
    await pause();
  }
  return {
    format: 'images',
    archive,
    images: layout.files.length,
    classes: layout.classes.map((name, i) => ({ name, count: counts[i] ?? 0 })),
    width,
    height,
    color: gray ? 'grayscale' : 'color',
    types,
    thumbnails,
  };
}

/**
 * Every image of a folder resized to `size` (area averaging), as rows of 0..255 values,
 * channels last: views into one byte array (`rowViews`).
 */
export function imageFolderRows(layout: ImageFolderLayout, size: ImageSize): { x: Uint8Array[]; y: number[][] } {
  const width = size.height * size.width * size.channels;
  const values = new Uint8Array(layout.files.length * width);
  const y: number[][] = [];
  layout.files.forEach(({ path, classIndex, file }, i) => {
    const image = decodeImage(file.read(), path);
    const pixels: Pixels = fromRgba(image.rgba, image.width, image.height, size.channels);
    values.set(toRow(fitImage(pixels, [size.height, size.width, size.channels]), 255), i * width);
    y.push([classIndex]);
  });
  return { x: rowViews(values, width), y };
}
