import type { ExperimentDefinitionInput } from '../definition/experiment-definition.schema.js';

/**
 * The notebook's first task (examples/notebook-1-multiply.json, without its predict rows): one
 * dense neuron learns y = 3x from seven points in 100 epochs of SGD, seed 7, no rows held out.
 * Trained, it predicts 5 -> ~15 and -9 -> ~-27. A fresh object on every call, named `name`.
 */
export function multiplyDefinition(name: string): ExperimentDefinitionInput {
  return {
    name,
    seed: 7,
    dataset: { name: 'multiply' },
    split: { test: 0 },
    model: { layers: [{ type: 'dense', units: 1 }] },
    optimizer: { name: 'sgd', learningRate: 0.01 },
    loss: 'mse',
    epochs: 100,
  };
}
