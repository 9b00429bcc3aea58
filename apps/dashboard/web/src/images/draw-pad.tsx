import { useEffect, useRef, type PointerEvent } from 'react';
import { fromRgba, type Pixels } from '@trainyard/data/pixels';

const SIDE = 280;
/** About MNIST's stroke: 2 to 3 pixels of 28. */
const PEN = 22;

/** A black square to draw on in white with a mouse, pen or finger; every stroke reports the drawing as gray pixels. */
export function DrawPad({ onChange }: { onChange: (drawing: Pixels | undefined) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | undefined>(undefined);
  const frame = useRef(0);

  const context = (): CanvasRenderingContext2D | null | undefined => canvas.current?.getContext('2d', { willReadFrequently: true });
  const clear = (): void => {
    const c = context();
    if (!c) return;
    c.fillStyle = '#000';
    c.fillRect(0, 0, SIDE, SIDE);
    onChange(undefined);
  };
  useEffect(() => {
    clear();
    return () => cancelAnimationFrame(frame.current);
    // Once, when the canvas appears.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const report = (): void => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const c = context();
      if (c) onChange(fromRgba(c.getImageData(0, 0, SIDE, SIDE).data, SIDE, SIDE, 1));
    });
  };
  const point = (event: PointerEvent<HTMLCanvasElement>): { x: number; y: number } => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * SIDE) / box.width, y: ((event.clientY - box.top) * SIDE) / box.height };
  };
  const stroke = (to: { x: number; y: number }): void => {
    const c = context();
    if (!c) return;
    const from = last.current ?? to;
    c.strokeStyle = '#fff';
    c.lineWidth = PEN;
    c.lineCap = 'round';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
    last.current = to;
    report();
  };

  return (
    <div className="draw-pad">
      <canvas
        ref={canvas}
        width={SIDE}
        height={SIDE}
        aria-label="drawing pad: draw a digit"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          last.current = undefined;
          stroke(point(e));
        }}
        onPointerMove={(e) => {
          if (e.buttons !== 0) stroke(point(e));
        }}
        onPointerUp={() => {
          last.current = undefined;
        }}
      />
      <button type="button" onClick={clear}>
        Clear
      </button>
    </div>
  );
}
