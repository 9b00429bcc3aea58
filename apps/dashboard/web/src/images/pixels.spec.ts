import { blank, toRow, type Pixels } from '@trainyard/data/pixels';
import { describe, expect, it } from 'vitest';
import { centerOfMass, digitFrame, frameDigit, inkBox, inkOnDark } from './pixels.js';

function gray(width: number, height: number, values: number[]): Pixels {
  return { width, height, channels: 1, data: Float32Array.from(values) };
}

describe('drawn digits', () => {
  it('inverts a dark drawing on a light background, and leaves ink on dark alone', () => {
    const light = gray(3, 3, [1, 1, 1, 1, 0, 1, 1, 1, 1]);
    expect(Array.from(inkOnDark(light).data)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const dark = gray(3, 3, [0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(inkOnDark(dark)).toBe(dark);
  });

  it('finds the ink box and the center of mass', () => {
    const src = blank(5, 5);
    src.data[1 * 5 + 2] = 1;
    src.data[3 * 5 + 2] = 1;
    expect(inkBox(src)).toEqual({ x: 2, y: 1, width: 1, height: 3 });
    expect(centerOfMass(src)).toEqual({ x: 2.5, y: 2.5 });
    expect(inkBox(blank(3, 3))).toBeUndefined();
  });

  it('frames a drawn stroke like MNIST: scaled into the 20-pixel box, its mass in the middle of 28', () => {
    const drawing = blank(280, 280);
    // A vertical bar in the top-left corner of the drawing.
    for (let y = 10; y < 110; y++) for (let x = 10; x < 30; x++) drawing.data[y * 280 + x] = 1;
    const framed = frameDigit(drawing, digitFrame([28, 28, 1]));
    expect(framed.width).toBe(28);
    expect(inkBox(framed)).toMatchObject({ height: 20, width: 4 });
    const mass = centerOfMass(framed);
    expect(mass?.x).toBeCloseTo(14, 0);
    expect(mass?.y).toBeCloseTo(14, 0);
  });

  it('frames the 8x8 digits to the whole frame, and an empty drawing to an empty image', () => {
    const drawing = blank(64, 64);
    for (let y = 16; y < 48; y++) for (let x = 24; x < 40; x++) drawing.data[y * 64 + x] = 1;
    const framed = frameDigit(drawing, digitFrame([8, 8, 1]));
    expect(inkBox(framed)).toEqual({ x: 2, y: 0, width: 4, height: 8 });
    expect(toRow(frameDigit(blank(64, 64), digitFrame([8, 8, 1])), 16)).toEqual(new Array(64).fill(0));
  });
});
