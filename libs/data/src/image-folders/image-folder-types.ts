/*
 * What is known of a folder of images once it is uploaded (Keras' image_dataset_from_directory
 * layout: one folder per class). Pure types, shared by the contract's schema and the dashboard.
 */

export type ArchiveFormat = 'zip' | 'tar' | 'tar.gz';

export interface ImageClassProfile {
  /** The class folder's name; classes are numbered in the sorted order of these names. */
  name: string;
  count: number;
}

/** A small picture of one image, to show what a class looks like. */
export interface ImageThumbnail {
  classIndex: number;
  path: string;
  width: number;
  height: number;
  /** RGB bytes, row-major, base64. */
  rgb: string;
}

export interface ImageFolderProfile {
  format: 'images';
  archive: ArchiveFormat;
  images: number;
  classes: ImageClassProfile[];
  width: { min: number; max: number };
  height: { min: number; max: number };
  /** grayscale: every pixel of every image has equal red, green and blue. */
  color: 'grayscale' | 'color';
  types: { png: number; jpeg: number };
  thumbnails: ImageThumbnail[];
}

/** The size a definition asks the images to be resized to. */
export interface ImageSize {
  height: number;
  width: number;
  /** 1: grayscale, 3: RGB. */
  channels: 1 | 3;
}
