import type { EarlyStoppingSpec } from './fit-options.js';
import { TrainingError } from './training-error.js';

export interface EarlyStoppingStep {
  /** The monitored value beat the best so far: snapshot the weights if restoring. */
  improved: boolean;
  /** Patience is exhausted: stop after this epoch. */
  stop: boolean;
}

/** Keras 3 EarlyStopping bookkeeping, without the weights (the training loop keeps those). */
export class EarlyStopping {
  readonly monitor: string;
  readonly restoreBestWeights: boolean;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly maximize: boolean;
  private best: number;
  private wait = 0;
  private epochs = 0;
  /** 1-based epoch of the best value. */
  bestEpoch: number | undefined;

  /** `available` are the metric keys the epochs will report; an unknown monitor is a spec error, not silence. */
  constructor(spec: EarlyStoppingSpec, hasValidation: boolean, available: string[]) {
    this.monitor = spec.monitor ?? (hasValidation ? 'val_loss' : 'loss');
    if (!available.includes(this.monitor)) {
      throw new TrainingError(
        'INVALID_SPEC',
        `earlyStopping.monitor '${this.monitor}' is not an epoch metric; available: ${available.join(', ')}`,
      );
    }
    if (!(Number.isInteger(spec.patience) && spec.patience >= 0)) {
      throw new TrainingError('INVALID_SPEC', `earlyStopping.patience must be an integer >= 0, got ${spec.patience}`);
    }
    this.patience = spec.patience;
    // Keras takes |min_delta| and applies it in the direction of improvement.
    this.minDelta = Math.abs(spec.minDelta ?? 0);
    const mode = spec.mode ?? 'auto';
    // Keras' 'auto': accuracy-like metrics improve upwards, everything else downwards.
    this.maximize = mode === 'max' || (mode === 'auto' && this.monitor.includes('acc'));
    this.best = this.maximize ? -Infinity : Infinity;
    this.restoreBestWeights = spec.restoreBestWeights ?? false;
  }

  /** Call once per finished epoch with its metrics. */
  update(epoch: number, metrics: Record<string, number>): EarlyStoppingStep {
    this.epochs++;
    this.wait++;
    const current = metrics[this.monitor];
    if (current !== undefined && this.isImprovement(current)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.wait = 0;
      return { improved: true, stop: false };
    }
    // Keras never stops after the first epoch (its `epoch > 0` check).
    return { improved: false, stop: this.wait >= this.patience && this.epochs > 1 };
  }

  private isImprovement(current: number): boolean {
    return this.maximize ? current - this.minDelta > this.best : current + this.minDelta < this.best;
  }
}
