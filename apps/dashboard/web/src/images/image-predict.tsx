import type { PredictResponse } from '@trainyard/contract';
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { change, errorText } from '../api.js';
import { DrawPad } from './draw-pad.js';
import { ImageTile } from './image-tile.js';
import { fitImage, fromRgba, toRow, type ImageShape, type Pixels } from '@trainyard/data/pixels';
import { digitFrame, frameDigit, inkOnDark } from './pixels.js';

type Prediction = PredictResponse['predictions'][number];

/** Largest side a picked picture is read at before it is shrunk to the model's size. */
const READ_SIDE = 1024;

/** A picked picture as gray or RGB pixels, at most READ_SIDE on its longer side. */
async function readPicture(file: File, channels: 1 | 3): Promise<Pixels> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, READ_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot read pictures into a canvas');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return fromRgba(context.getImageData(0, 0, width, height).data, width, height, channels);
}

/**
 * Predict for an image task: pick a picture (resized to the model's input, gray or colour), or,
 * for a digit task, draw one and see the prediction as you draw. The row sent is what the model
 * sees, shown beside the answer.
 */
export function ImagePredict({ runId, shape, pixelMax, digits, classNames }: { runId: string; shape: ImageShape; pixelMax: number; digits: boolean; classNames?: readonly string[] }) {
  const [row, setRow] = useState<number[] | undefined>();
  const [prediction, setPrediction] = useState<Prediction | undefined>();
  const [error, setError] = useState<string | undefined>();
  // One request at a time; while it runs, only the newest drawing waits.
  const busy = useRef(false);
  const waiting = useRef<number[] | undefined>(undefined);

  const predict = async (input: number[]): Promise<void> => {
    if (busy.current) {
      waiting.current = input;
      return;
    }
    busy.current = true;
    try {
      const answer = await change('predict', { params: { id: runId }, body: { inputs: [input] } });
      setPrediction(answer.predictions[0]);
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    } finally {
      busy.current = false;
      const next = waiting.current;
      waiting.current = undefined;
      if (next) void predict(next);
    }
  };

  const send = (pixels: Pixels, asDigit: boolean): void => {
    const fitted = asDigit ? frameDigit(pixels, digitFrame(shape)) : fitImage(pixels, shape);
    const input = toRow(fitted, pixelMax);
    setRow(input);
    void predict(input);
  };
  const onDrawing = (drawing: Pixels | undefined): void => {
    if (drawing) send(drawing, true);
    else {
      setRow(undefined);
      setPrediction(undefined);
    }
  };
  const onFile = (event: ChangeEvent<HTMLInputElement>): void => {
    const file = event.target.files?.[0];
    if (!file) return;
    readPicture(file, digits ? 1 : shape[2] === 1 ? 1 : 3).then(
      (picture) => (digits ? send(inkOnDark(picture), true) : send(picture, false)),
      (e: unknown) => setError(`${file.name} could not be read as a picture (${errorText(e)})`),
    );
  };
  useEffect(() => () => void (waiting.current = undefined), []);

  return (
    <section data-testid="image-predict">
      <h2>Predict</h2>
      <div className="image-predict">
        {digits && <DrawPad onChange={onDrawing} />}
        <div>
          <label>
            {digits ? 'or pick a picture ' : 'Pick a picture '}
            <input type="file" accept="image/*" aria-label="picture to predict" onChange={onFile} />
          </label>
          {row && (
            <p>
              What the model sees ({shape[1]}x{shape[0]}): <ImageTile row={row} shape={shape} pixelMax={pixelMax} size={84} label="the input the model sees" />
            </p>
          )}
          {prediction && <PredictionBars prediction={prediction} classNames={classNames} />}
          {error && <p className="error">{error}</p>}
        </div>
      </div>
    </section>
  );
}

function PredictionBars({ prediction, classNames }: { prediction: Prediction; classNames: readonly string[] | undefined }) {
  const top = prediction.output
    .map((p, i) => ({ p, i }))
    .sort((a, b) => b.p - a.p)
    .slice(0, 3);
  return (
    <div data-testid="prediction">
      <p className="prediction-label">→ {prediction.label ?? classNames?.[top[0]?.i ?? -1] ?? '?'}</p>
      <table>
        <tbody>
          {top.map(({ p, i }) => (
            <tr key={i}>
              <td>{classNames?.[i] ?? i}</td>
              <td>
                <span className="bar" style={{ width: `${Math.round(p * 120)}px` }} /> {(p * 100).toFixed(1)} %
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
