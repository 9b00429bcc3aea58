import type { ExperimentDefinitionInput } from '@trainyard/contract';

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

/**
 * The notebook's second task: a 2-3-1 linear network learns to add two numbers from `n`
 * examples (min-max scaled inputs), 15 epochs of SGD, seed 7, a fifth held out. Quick enough
 * for tests that train many runs; spread it to change a field.
 */
export function sumDefinition(name: string, n = 60): ExperimentDefinitionInput {
  return {
    name,
    seed: 7,
    dataset: { name: 'sum', n },
    preprocessing: { features: 'minmax' },
    split: { test: 0.2 },
    model: { layers: [{ type: 'dense', units: 3 }, { type: 'dense', units: 1 }] },
    optimizer: { name: 'sgd', learningRate: 0.01 },
    loss: 'mse',
    metrics: ['mae'],
    epochs: 15,
  };
}
