import { describe, expect, it } from 'vitest';
import { nearestPointer, pointerOfPath } from './json-editor-paths.js';

describe('field paths in the editor', () => {
  it('turns a field path into a JSON Pointer, leaving out what follows the path', () => {
    expect(pointerOfPath('model.layers[0].units')).toBe('/model/layers/0/units');
    expect(pointerOfPath('timeLimitSeconds')).toBe('/timeLimitSeconds');
    expect(pointerOfPath('base.epochs (trial optimizer.learningRate=0.01)')).toBe('/base/epochs');
    expect(pointerOfPath('predict[1][0]')).toBe('/predict/1/0');
  });

  it('names the whole document for a path that is no field', () => {
    expect(pointerOfPath('')).toBe('');
    expect(pointerOfPath('(json)')).toBe('');
  });

  it('falls back to the nearest field the document has', () => {
    const has = (pointer: string): boolean => ['/base', '/model', '/model/layers'].includes(pointer);
    expect(nearestPointer('/base/epochs', has)).toBe('/base');
    expect(nearestPointer('/model/layers/3/units', has)).toBe('/model/layers');
    expect(nearestPointer('/epochs', has)).toBe('');
  });
});
