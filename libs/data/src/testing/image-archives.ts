import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { writeZip } from '../images/image-writers.js';

/*
 * Archives of pictures made in memory, for tests of image folders: zips of paths and bytes,
 * and PNG/JPEG encoders.
 */

export interface ZipEntry {
  path: string;
  data: Uint8Array;
}

/** A zip archive (deflated) of `entries`, in order; `store: true` keeps the bytes as they are. */
export function makeZip(entries: ZipEntry[], options: { store?: boolean } = {}): Uint8Array {
  return writeZip(
    entries.map((entry) => [entry.path, entry.data]),
    options,
  );
}

/** A picture whose pixel (x, y) has the colour `color(x, y)` ([r, g, b], 0..255). */
export type PaintFn = (x: number, y: number) => readonly [number, number, number];

function rgba(width: number, height: number, paint: PaintFn): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return data;
}

export function pngBytes(width: number, height: number, paint: PaintFn): Uint8Array {
  const png = new PNG({ width, height });
  png.data = rgba(width, height, paint);
  return new Uint8Array(PNG.sync.write(png));
}

export function jpegBytes(width: number, height: number, paint: PaintFn, quality = 95): Uint8Array {
  return new Uint8Array(jpeg.encode({ data: rgba(width, height, paint), width, height }, quality).data);
}
