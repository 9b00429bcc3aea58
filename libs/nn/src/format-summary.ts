import type { ModelSummary } from './model-summary.js';

const COLUMNS = [33, 26, 10];
const WIDTH = COLUMNS.reduce((a, b) => a + b, 0);

/**
 * Keras-style text table of a summary:
 *
 *   Model: "sequential"
 *   _________________________________________________________________
 *    Layer (type)                    Output Shape              Param #
 *   =================================================================
 *    dense (Dense)                   (None, 16)                144
 *   ...
 *   Total params: 361
 */
export function formatSummary(summary: ModelSummary, title = 'sequential'): string {
  const lines = [`Model: "${title}"`, '_'.repeat(WIDTH), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(WIDTH)];
  summary.layers.forEach((layer, i) => {
    if (i > 0) lines.push('_'.repeat(WIDTH));
    lines.push(row([`${layer.name} (${layer.className})`, formatShape(layer.outputShape), formatCount(layer.params)]));
  });
  lines.push(
    '='.repeat(WIDTH),
    `Total params: ${formatCount(summary.totalParams)}`,
    `Trainable params: ${formatCount(summary.trainableParams)}`,
    `Non-trainable params: ${formatCount(summary.nonTrainableParams)}`,
    '_'.repeat(WIDTH),
  );
  return lines.join('\n');
}

function row(cells: string[]): string {
  return cells
    .map((cell, i) => {
      const text = ` ${cell}`;
      const width = COLUMNS[i] ?? 0;
      // A cell wider than its column still needs a gap before the next one.
      return text.length < width ? text.padEnd(width) : `${text} `;
    })
    .join('')
    .trimEnd();
}

/** Python tuple notation, as Keras prints it: (None, 16), and (None, 1) not (None, 1,). */
function formatShape(shape: (number | null)[]): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** Keras groups thousands with commas: 1,234,567. */
function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
