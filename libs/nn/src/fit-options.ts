import type { NumberRows } from './data-tensors.js';

/** Keras `EarlyStopping`. */
export interface EarlyStoppingSpec {
  /** Epoch metric to watch. Default 'val_loss' when there is validation data, else 'loss'. */
  monitor?: string;
  /** Epochs without improvement before training stops. */
  patience: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Direction of improvement; 'auto' means max for accuracy metrics, min otherwise. Default 'auto'. */
  mode?: 'auto' | 'min' | 'max';
  /** Put back the weights of the best epoch when training ends (not when cancelled). Default false. */
  restoreBestWeights?: boolean;
}

export interface EpochReport {
  /** 1-based. */
  epoch: number;
  /** Keras names: loss, <metric>..., val_loss, val_<metric>... */
  metrics: Record<string, number>;
  durationMs: number;
}

export interface FitOptions {
  epochs: number;
  /** Default 32. */
  batchSize?: number;
  /** Evaluated at the end of every epoch; its numbers get a val_ prefix. */
  validation?: { x: NumberRows; y: number[][] };
  earlyStopping?: EarlyStoppingSpec;
  /** Uniform [0, 1). The only source of randomness (shuffles, dropout seeds); Math.random is never used. */
  random: () => number;
  /** Cancel: training stops after the current batch and resolves with cancelled: true. */
  signal?: AbortSignal;
  /** Awaited before the next epoch starts. */
  onEpochEnd?: (report: EpochReport) => void | Promise<void>;
  /** Cheap progress hook, 1-based batch number; it gets no loss because reading one back would stall the loop. */
  onBatchEnd?: (batch: number, batches: number) => void;
}

export interface FitResult {
  history: EpochReport[];
  stoppedEarly: boolean;
  /** 1-based epoch with the best monitored value, when early stopping was configured. */
  bestEpoch?: number;
  cancelled: boolean;
}
