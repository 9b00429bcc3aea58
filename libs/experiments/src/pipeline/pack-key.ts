import type { ExperimentDefinition } from '@trainyard/contract';

/** Optimizers whose updates a pack reproduces (see Network.fitPacked); the others train alone. */
const PACKED_OPTIMIZERS = new Set(['sgd', 'adam']);

/**
 * What runs must share to train as one pack, as a string, or undefined for a run that trains
 * alone. Equal keys mean the same data (dataset, preprocessing, split fractions, hence the
 * same row counts), the same Dense layers, loss, metrics and batch size, and the same kind of
 * optimizer. They may differ in seed, learning rate and the optimizer's other settings,
 * epochs, early stopping, predict rows and time limit. The training thread checks again on
 * the built networks (Network.packSignature) and trains apart what does not fit.
 */
export function packKey(def: ExperimentDefinition): string | undefined {
  const packable = def.model.layers.every(
    (layer) => layer.type === 'dense' && layer.kernelRegularizer === undefined && layer.biasRegularizer === undefined,
  );
  if (!packable || !PACKED_OPTIMIZERS.has(def.optimizer.name)) return undefined;
  // Nesterov and momentum SGD step differently from plain SGD: different packs.
  const sgdKind = def.optimizer.name === 'sgd' ? (def.optimizer.nesterov ? 'nesterov' : (def.optimizer.momentum ?? 0) > 0 ? 'momentum' : 'plain') : '';
  return JSON.stringify([def.dataset, def.preprocessing, def.split, def.model, def.loss, def.metrics, def.batchSize, def.optimizer.name, sgdKind]);
}
