import type { SampleRecord } from '@trainyard/contract';
import type { ImageShape } from '@trainyard/data/pixels';
import { useMemo, useState } from 'react';
import { ImageTile } from './image-tile.js';
import { confusionPairs, imageSamples, type ClassPair } from './image-samples.js';

/** Most confusion pairs offered as buttons. */
const MAX_PAIRS = 8;
/** Images shown before "show all": the mistakes come first, so these are the ones to look at. */
export const FIRST_SHOWN = 96;

/**
 * Test images with their true and predicted labels, misclassified first (outlined). The run stores
 * a sample of its test part, so a confusion-matrix cell shows the images of that cell in the sample.
 */
export function ImageGrid({ samples, shape, pixelMax, cell, onCell }: { samples: readonly SampleRecord[]; shape: ImageShape; pixelMax: number; cell: ClassPair | undefined; onCell: (cell: ClassPair | undefined) => void }) {
  const shown = useMemo(() => imageSamples(samples, cell), [samples, cell]);
  const pairs = useMemo(() => confusionPairs(samples).slice(0, MAX_PAIRS), [samples]);
  const [everything, setEverything] = useState(false);
  const listed = everything ? shown : shown.slice(0, FIRST_SHOWN);
  const wrong = shown.filter((s) => s.truth !== s.predicted).length;
  return (
    <section data-testid="image-grid">
      <h2>Test images</h2>
      <p className="muted">
        {cell ? (
          <>
            True {cell.truth}, predicted {cell.predicted}: {shown.length} of the {samples.length} stored test samples.{' '}
            <button type="button" onClick={() => onCell(undefined)}>
              Show all
            </button>
          </>
        ) : (
          <>
            {shown.length} stored test samples, {wrong} misclassified (shown first, outlined). Click a cell of the confusion matrix, or a mistake below, to see its images.
          </>
        )}
      </p>
      {!cell && pairs.length > 0 && (
        <p className="toolbar" data-testid="confusion-pairs">
          {pairs.map((p) => (
            <button key={`${p.truth}>${p.predicted}`} type="button" onClick={() => onCell(p)}>
              true {p.truth}, predicted {p.predicted} ({p.count})
            </button>
          ))}
        </p>
      )}
      <ul className="image-grid">
        {listed.map((s) => (
          <li key={s.index} className={s.truth === s.predicted ? undefined : 'wrong'} data-truth={s.truth} data-predicted={s.predicted}>
            <ImageTile row={s.row} shape={shape} pixelMax={pixelMax} label={`true ${s.truth}, predicted ${s.predicted}`} />
            <span>
              {s.truth === s.predicted ? s.truth : `${s.predicted} (true ${s.truth})`}
            </span>
          </li>
        ))}
      </ul>
      {listed.length < shown.length && (
        <button type="button" onClick={() => setEverything(true)}>
          Show all {shown.length} images
        </button>
      )}
    </section>
  );
}
