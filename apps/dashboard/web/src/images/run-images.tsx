import type { RunDetailView } from '@trainyard/contract';
import { useState } from 'react';
import { Evaluation } from '../pages/evaluation.js';
import { PredictForm } from '../pages/predict-form.js';
import { ImageGrid } from './image-grid.js';
import { ImagePredict } from './image-predict.js';
import type { ClassPair } from './image-samples.js';

/** Datasets of handwritten digits: their predict form offers a pad to draw on. */
const DIGIT_DATASETS = new Set(['digits', 'mnist']);

/**
 * Predicted vs true, and for a run on images its test images (a confusion-matrix cell shows
 * its own); then the predict form: raw inputs for a table, a picture or a drawing for images.
 */
export function RunEvaluation({ run }: { run: RunDetailView }) {
  const [cell, setCell] = useState<ClassPair | undefined>();
  const dataset = run.env?.dataset;
  const shape = dataset?.imageShape;
  const pixelMax = dataset?.pixelMax ?? 255;
  const images = shape !== undefined && run.evaluation?.kind === 'classification' && (run.samples?.length ?? 0) > 0;
  return (
    <>
      <Evaluation run={run} {...(images ? { onCell: setCell } : {})} />
      {images && <ImageGrid samples={run.samples ?? []} shape={shape} pixelMax={pixelMax} cell={cell} onCell={setCell} />}
      {run.status === 'SUCCEEDED' &&
        (shape ? (
          <ImagePredict runId={run.id} shape={shape} pixelMax={pixelMax} digits={DIGIT_DATASETS.has(run.definition.dataset.name)} {...(dataset?.classNames ? { classNames: dataset.classNames } : {})} />
        ) : (
          <PredictForm runId={run.id} featureNames={dataset?.featureNames ?? []} recorded={run.predictions ?? []} definition={run.definition} />
        ))}
    </>
  );
}
