import type { DatasetFacts } from './dataset-facts.js';
import type { ExperimentDefinition } from './experiment-definition.schema.js';
import { layerShapes, type LayerShape } from './layer-shapes.js';

type Add = (path: string, message: string) => void;

/** Built-in datasets that can also be read as images (`dataset.as: 'images'`). */
const IMAGE_CAPABLE: ReadonlySet<string> = new Set(['digits', 'mnist', 'fashion_mnist']);

/** One sample's shape entering the model, when the dataset's facts say it: an image or a row of features. */
export function inputShapeOf(facts: DatasetFacts): number[] | undefined {
  if (facts.imageShape) return [...facts.imageShape];
  return facts.features === undefined ? undefined : [facts.features];
}

/**
 * The layers against the data's shape, layer by layer, before anything is queued: an image
 * layer on flat features, a window larger than its input, a reshape that does not add up, and
 * an output layer that is not flat. Each issue names the layer (`model.layers[3].poolSize`).
 */
export function checkLayers(def: ExperimentDefinition, facts: DatasetFacts, add: Add): void {
  const input = inputShapeOf(facts);
  if (!input) return;
  const layers = def.model.layers;
  const result = layerShapes(layers, input);
  if (!result.ok) {
    const { index, field, message } = result.problem;
    const layer = layers[index];
    const at = `model.layers[${index}]${field ? `.${field}` : ''}`;
    if (field || !layer) {
      add(at, message);
      return;
    }
    add(at, `${message}; ${givenTo(index, result.layers, def, input)}`);
    return;
  }
  const lastIndex = layers.length - 1;
  const output = result.layers[lastIndex]?.shape ?? [];
  if (output.length > 1 && layers[lastIndex]?.type === 'dense') {
    add(`model.layers[${lastIndex}]`, `outputs (${output.join(', ')}) per sample, not one row: put a flatten or globalAveragePooling2d layer before it`);
  }
}

/** What reaches layer `index` that is not an image, and how to get one. */
function givenTo(index: number, shapes: LayerShape[], def: ExperimentDefinition, input: number[]): string {
  if (index === 0) {
    const name = def.dataset.name;
    const asImages = IMAGE_CAPABLE.has(name) ? "set dataset.as to 'images', or " : '';
    const what = input.length === 1 ? `${input[0]} features` : `(${input.join(', ')})`;
    return `${name} gives ${what}: ${asImages}put a reshape layer first`;
  }
  const before = def.model.layers[index - 1];
  const shape = shapes[index - 1]?.shape ?? [];
  return `layer ${index - 1} (${before?.type ?? '?'}) gives (${shape.join(', ')}): put a reshape layer before it`;
}
