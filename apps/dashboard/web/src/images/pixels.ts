/*
 * What a user draws or picks, framed as the digit datasets frame theirs (light ink on dark,
 * cropped, scaled into a box, centered), before it becomes one input row of the model.
 */
import { blank, resizeArea, type ImageShape, type Pixels } from '@trainyard/data/pixels';

/** Light-on-dark, as MNIST and the digits are: a picture with a light background is inverted. */
export function inkOnDark(src: Pixels): Pixels {
  const { width, height, channels, data } = src;
  let border = 0;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x !== 0 && y !== 0 && x !== width - 1 && y !== height - 1) continue;
      for (let k = 0; k < channels; k++) border += data[(y * width + x) * channels + k] ?? 0;
      count += channels;
    }
  }
  if (count === 0 || border / count <= 0.5) return src;
  return { ...src, data: data.map((v) => 1 - v) };
}

/** The smallest box holding every pixel brighter than `threshold`, or undefined when there is none. */
export function inkBox(src: Pixels, threshold = 0.1): { x: number; y: number; width: number; height: number } | undefined {
  let x0 = src.width;
  let y0 = src.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      let value = 0;
      for (let k = 0; k < src.channels; k++) value = Math.max(value, src.data[(y * src.width + x) * src.channels + k] ?? 0);
      if (value <= threshold) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function crop(src: Pixels, box: { x: number; y: number; width: number; height: number }): Pixels {
  const out = blank(box.width, box.height, src.channels);
  const c = src.channels;
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * src.width + box.x) * c;
    out.data.set(src.data.subarray(from, from + box.width * c), y * box.width * c);
  }
  return out;
}

function paste(into: Pixels, src: Pixels, left: number, top: number): void {
  const c = src.channels;
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const tx = left + x;
      const ty = top + y;
      if (tx < 0 || ty < 0 || tx >= into.width || ty >= into.height) continue;
      for (let k = 0; k < c; k++) into.data[(ty * into.width + tx) * c + k] = src.data[(y * src.width + x) * c + k] ?? 0;
    }
  }
}

/** Where the ink's weight sits, in pixels from the top-left corner. */
export function centerOfMass(src: Pixels): { x: number; y: number } | undefined {
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      let v = 0;
      for (let k = 0; k < src.channels; k++) v += src.data[(y * src.width + x) * src.channels + k] ?? 0;
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return total === 0 ? undefined : { x: sx / total, y: sy / total };
}

/** How a drawn digit is framed to look like a dataset's own. */
export interface DigitFrame {
  /** Side of the model's image. */
  size: number;
  /** Side of the box the ink is scaled into (MNIST: 20 inside 28; the 8x8 digits: the whole frame). */
  box: number;
  /** Shift the ink's center of mass to the middle (MNIST does). */
  centerOfMass: boolean;
}

/** The frames of the built-in digit datasets: MNIST's normalization, and optdigits' size-normalized bitmaps. */
export function digitFrame(shape: ImageShape): DigitFrame {
  const size = shape[0];
  return size >= 20 ? { size, box: Math.round((size * 20) / 28), centerOfMass: true } : { size, box: size, centerOfMass: false };
}

/**
 * A drawing (light ink on dark) framed as the digit datasets are: cropped to its ink, scaled to
 * fit the box keeping its aspect, centered. An empty drawing gives an empty image.
 */
export function frameDigit(src: Pixels, frame: DigitFrame): Pixels {
  const out = blank(frame.size, frame.size, src.channels);
  const box = inkBox(src);
  if (!box) return out;
  const scale = frame.box / Math.max(box.width, box.height);
  const width = Math.max(1, Math.round(box.width * scale));
  const height = Math.max(1, Math.round(box.height * scale));
  const ink = resizeArea(crop(src, box), width, height);
  let left = Math.floor((frame.size - width) / 2);
  let top = Math.floor((frame.size - height) / 2);
  if (frame.centerOfMass) {
    const mass = centerOfMass(ink);
    if (mass) {
      left = Math.round(frame.size / 2 - mass.x);
      top = Math.round(frame.size / 2 - mass.y);
    }
  }
  paste(out, ink, left, top);
  return out;
}

