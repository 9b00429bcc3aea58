/*
 * Images as numbers: decoded pictures, rows of a dataset and what a browser draws are all
 * `Pixels` (values 0..1, channels last). Pure functions with no Node or DOM dependency, so the
 * worker (image folders) and the dashboard (pictures to predict, test images) share them.
 */

/** An image with values in 0..1, row-major, channels last (1: gray, 3: RGB). */
export interface Pixels {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
}

/** [height, width, channels] of one input sample. */
export type ImageShape = readonly [number, number, number];

export function blank(width: number, height: number, channels: 1 | 3 = 1): Pixels {
  return { width, height, channels, data: new Float32Array(width * height * channels) };
}

/** Canvas RGBA bytes to gray (ITU-R BT.601 luma) or RGB in 0..1; transparent pixels count as black. */
export function fromRgba(rgba: ArrayLike<number>, width: number, height: number, channels: 1 | 3): Pixels {
  const out = blank(width, height, channels);
  for (let i = 0; i < width * height; i++) {
    const alpha = (rgba[i * 4 + 3] ?? 255) / 255;
    const r = ((rgba[i * 4] ?? 0) / 255) * alpha;
    const g = ((rgba[i * 4 + 1] ?? 0) / 255) * alpha;
    const b = ((rgba[i * 4 + 2] ?? 0) / 255) * alpha;
    if (channels === 1) out.data[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else out.data.set([r, g, b], i * 3);
  }
  return out;
}

/**
 * Resized by area averaging: each target pixel is the mean of the source area it covers,
 * fractional edges weighted. Shrinking keeps thin strokes as grey instead of dropping them.
 */
export function resizeArea(src: Pixels, width: number, height: number): Pixels {
  const out = blank(width, height, src.channels);
  const sx = src.width / width;
  const sy = src.height / height;
  const c = src.channels;
  for (let y = 0; y < height; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < width; x++) {
      const x0 = x * sx;
      const x1 = x0 + sx;
      const sums = new Float64Array(c);
      for (let yy = Math.floor(y0); yy < Math.min(Math.ceil(y1), src.height); yy++) {
        const wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
        for (let xx = Math.floor(x0); xx < Math.min(Math.ceil(x1), src.width); xx++) {
          const w = wy * (Math.min(x1, xx + 1) - Math.max(x0, xx));
          for (let k = 0; k < c; k++) sums[k] = (sums[k] ?? 0) + w * (src.data[(yy * src.width + xx) * c + k] ?? 0);
        }
      }
      for (let k = 0; k < c; k++) out.data[(y * width + x) * c + k] = (sums[k] ?? 0) / (sx * sy);
    }
  }
  return out;
}

/** The whole picture resized to the model's size and channels (photos, not digits). */
export function fitImage(src: Pixels, shape: ImageShape): Pixels {
  const [height, width, channels] = shape;
  const resized = resizeArea(src, width, height);
  if (channels === resized.channels) return resized;
  return channels === 1 ? toGray(resized) : toRgb(resized);
}

function toGray(src: Pixels): Pixels {
  const out = blank(src.width, src.height, 1);
  for (let i = 0; i < src.width * src.height; i++) {
    out.data[i] = 0.299 * (src.data[i * 3] ?? 0) + 0.587 * (src.data[i * 3 + 1] ?? 0) + 0.114 * (src.data[i * 3 + 2] ?? 0);
  }
  return out;
}

function toRgb(src: Pixels): Pixels {
  const out = blank(src.width, src.height, 3);
  src.data.forEach((v, i) => out.data.set([v, v, v], i * 3));
  return out;
}

/** One input row in the dataset's own units (0..255 for 8-bit images, 0..16 for the digits), rounded as the dataset's are. */
export function toRow(src: Pixels, pixelMax: number): number[] {
  return Array.from(src.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * pixelMax));
}

/** A stored row back to canvas RGBA bytes, for drawing. */
export function rowToRgba(row: ArrayLike<number>, shape: ImageShape, pixelMax: number): Uint8ClampedArray<ArrayBuffer> {
  const [height, width, channels] = shape;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) {
      const v = row[i * channels + (channels === 1 ? 0 : k)] ?? 0;
      out[i * 4 + k] = Math.round((v / pixelMax) * 255);
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}
