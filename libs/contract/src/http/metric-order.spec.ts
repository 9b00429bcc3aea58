import { describe, expect, it } from 'vitest';
import { orderMetrics } from './metric-order.js';

describe('orderMetrics', () => {
  it('puts loss first, known metrics in Keras order, validation metrics after training ones', () => {
    const ordered = orderMetrics({ r2: 1, val_mae: 2, mae: 3, val_loss: 4, loss: 5, zeta: 6, mse: 7 });
    expect(Object.keys(ordered)).toEqual(['loss', 'mae', 'mse', 'r2', 'zeta', 'val_loss', 'val_mae']);
    expect(ordered.val_loss).toBe(4);
  });
});
