import type { ImageFolderProfile } from '@trainyard/contract';
import { useEffect, useRef } from 'react';

type Thumbnail = ImageFolderProfile['thumbnails'][number];

const BAR_WIDTH = 260;

function rgbToRgba(base64: string, pixels: number): Uint8ClampedArray<ArrayBuffer> {
  const rgb = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let i = 0; i < pixels; i++) rgba.set([rgb[i * 3] ?? 0, rgb[i * 3 + 1] ?? 0, rgb[i * 3 + 2] ?? 0, 255], i * 4);
  return rgba;
}

function ThumbnailImage({ thumbnail }: { thumbnail: Thumbnail }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { width, height, rgb } = thumbnail;
  useEffect(() => {
    canvas.current?.getContext('2d')?.putImageData(new ImageData(rgbToRgba(rgb, width * height), width, height), 0, 0);
  }, [rgb, width, height]);
  // Small pictures are drawn larger, pixel for pixel.
  const scale = Math.max(1.5, 48 / Math.max(width, height));
  return <canvas ref={canvas} width={width} height={height} className="image-tile" style={{ width: width * scale, height: height * scale }} role="img" aria-label={thumbnail.path} title={thumbnail.path} />;
}

/** A folder of images' version page: per-class counts as bars, a few images of each class, sizes and colour. */
export function ImageFolderView({ profile }: { profile: ImageFolderProfile }) {
  const most = Math.max(1, ...profile.classes.map((c) => c.count));
  const size = (r: { min: number; max: number }): string => (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`);
  return (
    <section>
      <h2>Classes</h2>
      <p className="muted" data-testid="image-facts">
        {profile.images.toLocaleString()} images in {profile.classes.length} classes · {size(profile.width)} × {size(profile.height)} pixels (width × height) · {profile.color} ·{' '}
        {[profile.types.png > 0 ? `${profile.types.png.toLocaleString()} PNG` : '', profile.types.jpeg > 0 ? `${profile.types.jpeg.toLocaleString()} JPEG` : ''].filter(Boolean).join(', ')} · {profile.archive}
      </p>
      <table data-testid="classes">
        <thead>
          <tr>
            <th>class</th>
            <th className="num">images</th>
            <th>share</th>
            <th>examples</th>
          </tr>
        </thead>
        <tbody>
          {profile.classes.map((c, i) => (
            <tr key={c.name} data-class={c.name}>
              <td>{c.name}</td>
              <td className="num" data-testid="class-count">
                {c.count.toLocaleString()}
              </td>
              <td>
                <svg width={BAR_WIDTH} height={14} role="img" aria-label={`${c.name}: ${c.count} images`}>
                  <rect x={0} y={2} width={Math.max(1, (c.count / most) * BAR_WIDTH)} height={10} className="bar" />
                </svg>
              </td>
              <td className="thumbnails">
                {profile.thumbnails
                  .filter((t) => t.classIndex === i)
                  .map((t) => (
                    <ThumbnailImage key={t.path} thumbnail={t} />
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
