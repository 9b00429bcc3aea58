import { describe, expect, it } from 'vitest';
import { EarlyStopping } from './early-stopping.js';

function stops(early: EarlyStopping, values: number[], key = 'loss'): number | undefined {
  for (const [i, value] of values.entries()) {
    if (early.update(i + 1, { [key]: value }).stop) return i + 1;
  }
  return undefined;
}

describe('EarlyStopping', () => {
  it('monitors val_loss when there is validation data, loss otherwise', () => {
    expect(new EarlyStopping({ patience: 1 }, true, ['loss', 'val_loss']).monitor).toBe('val_loss');
    expect(new EarlyStopping({ patience: 1 }, false, ['loss']).monitor).toBe('loss');
    expect(() => new EarlyStopping({ patience: 1, monitor: 'val_accuracy' }, false, ['loss'])).toThrow(/val_accuracy/);
  });

  it('stops after patience epochs without improvement and remembers the best epoch', () => {
    const early = new EarlyStopping({ patience: 2 }, false, ['loss']);
    expect(stops(early, [5, 4, 4.5, 3.9, 4, 4, 1])).toBe(6);
    expect(early.bestEpoch).toBe(4);
  });

  it('needs min delta to count as improvement', () => {
    const early = new EarlyStopping({ patience: 1, minDelta: 0.5 }, false, ['loss']);
    expect(stops(early, [5, 4.6, 4.4])).toBe(2);
    expect(early.bestEpoch).toBe(1);
  });

  it("treats accuracy as higher-is-better in 'auto' mode", () => {
    const early = new EarlyStopping({ patience: 1, monitor: 'val_accuracy' }, true, ['val_accuracy']);
    early.update(1, { val_accuracy: 0.5 });
    expect(early.update(2, { val_accuracy: 0.6 })).toEqual({ improved: true, stop: false });
    expect(early.update(3, { val_accuracy: 0.55 })).toEqual({ improved: false, stop: true });
    expect(new EarlyStopping({ patience: 0, mode: 'max' }, false, ['loss']).update(1, { loss: 1 }).improved).toBe(true);
  });

  it('never stops after the first epoch, like Keras', () => {
    const early = new EarlyStopping({ patience: 0 }, false, ['loss']);
    expect(early.update(1, { loss: NaN }).stop).toBe(false);
    expect(early.update(2, { loss: NaN }).stop).toBe(true);
  });
});
