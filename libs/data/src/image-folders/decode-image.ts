import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DatasetError } from '../errors/dataset-error.js';

/** A decoded picture: RGBA bytes, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Pictures larger than this are refused rather than decoded (a 100-megapixel RGBA image is 400 MB). */
export const MAX_IMAGE_MEGAPIXELS = 40;

export type ImageType = 'png' | 'jpeg';

/** PNG or JPEG by the file's first bytes (not its name); undefined for anything else. */
export function imageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/**
 * Decodes a PNG (pngjs) or JPEG (jpeg-js) file to RGBA. Both libraries are pure JavaScript, so
 * this runs wherever TensorFlow.js' wasm or cpu backend does; it is synchronous and is called
 * from training threads, or between yields to the event loop. Errors name the file.
 */
export function decodeImage(bytes: Uint8Array, path: string): DecodedImage {
  const type = imageType(bytes);
  if (!type) throw new DatasetError('PARSE_ERROR', `'${path}' is not a PNG or JPEG image (by its first bytes)`);
  try {
    if (type === 'png') {
      // The header's size, checked before pngjs allocates for it.
      const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (bytes.length >= 24) checkSize(header.getUint32(16), header.getUint32(20), path);
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      checkSize(png.width, png.height, path);
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
    }
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
    checkSize(image.width, image.height, path);
    return { width: image.width, height: image.height, rgba: image.data };
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError('PARSE_ERROR', `'${path}' could not be decoded as ${type.toUpperCase()}: ${(error as Error).message}`, { cause: error });
  }
}

function checkSize(width: number, height: number, path: string): void {
  if (width < 1 || height < 1) throw new DatasetError('PARSE_ERROR', `'${path}' has no pixels`);
  if (width * height > MAX_IMAGE_MEGAPIXELS * 1e6) {
    throw new DatasetError('PARSE_ERROR', `'${path}' is ${width}x${height}: over ${MAX_IMAGE_MEGAPIXELS} megapixels; shrink it before uploading`);
  }
}

/** Whether every pixel has equal red, green and blue: a grayscale picture. */
export function isGray(image: DecodedImage): boolean {
  const { rgba } = image;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) return false;
  }
  return true;
}
