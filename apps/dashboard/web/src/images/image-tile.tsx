import { useEffect, useRef } from 'react';
import { rowToRgba, type ImageShape } from '@trainyard/data/pixels';

/** One stored input row drawn as its image, scaled up with crisp pixels. */
export function ImageTile({ row, shape, pixelMax, size = 56, label }: { row: ArrayLike<number>; shape: ImageShape; pixelMax: number; size?: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [height, width] = shape;
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(rowToRgba(row, shape, pixelMax), width, height), 0, 0);
  }, [row, shape, pixelMax, width, height]);
  return <canvas ref={canvas} width={width} height={height} className="image-tile" style={{ width: size, height: (size * height) / width }} role="img" aria-label={label} />;
}
