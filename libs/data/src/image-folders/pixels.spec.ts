import { describe, expect, it } from 'vitest';
import { fitImage, fromRgba, resizeArea, rowToRgba, toRow, type Pixels } from './pixels.js';

function gray(width: number, height: number, values: number[]): Pixels {
  return { width, height, channels: 1, data: Float32Array.from(values) };
}

describe('pixels', () => {
  it('reads RGBA bytes as gray luma or RGB, transparent as black', () => {
    const rgba = [255, 255, 255, 255, 255, 0, 0, 255, 0, 0, 0, 0];
    expect(Array.from(fromRgba(rgba, 3, 1, 1).data)).toEqual([1, expect.closeTo(0.299, 5), 0]);
    expect(Array.from(fromRgba(rgba, 3, 1, 3).data)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('shrinks by area: a 4x4 image to 2x2 averages each quarter', () => {
    const src = gray(4, 4, [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
    expect(Array.from(resizeArea(src, 2, 2).data)).toEqual([1, 0, 0, 0.5]);
  });

  it('weights fractional edges: 3 pixels to 2 keeps the mean', () => {
    const out = resizeArea(gray(3, 1, [0, 1, 0]), 2, 1);
    expect(Array.from(out.data)).toEqual([expect.closeTo(1 / 3, 5), expect.closeTo(1 / 3, 5)]);
  });

  it('grows by repeating: 1x1 to 2x2', () => {
    expect(Array.from(resizeArea(gray(1, 1, [0.5]), 2, 2).data)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('fits a picture to the model shape, RGB to gray and gray to RGB', () => {
    const rgb: Pixels = { width: 2, height: 2, channels: 3, data: Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]) };
    const out = fitImage(rgb, [1, 1, 1]);
    expect(out.channels).toBe(1);
    expect(out.data[0]).toBeCloseTo(0.5, 5);
    expect(Array.from(fitImage(gray(1, 1, [0.25]), [1, 1, 3]).data)).toEqual([0.25, 0.25, 0.25]);
  });

  it('writes rows in the dataset units and draws them back', () => {
    const row = toRow(gray(2, 1, [1, 0.5]), 255);
    expect(row).toEqual([255, 128]);
    expect(Array.from(rowToRgba(row, [1, 2, 1], 255))).toEqual([255, 255, 255, 255, 128, 128, 128, 255]);
    expect(Array.from(rowToRgba([16, 0], [1, 2, 1], 16))).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
  });
});
