import { describe, expect, it } from 'vitest';
import { exampleOf, exampleText } from './new-start-from.js';

const EXAMPLES = {
  multiply: { name: 'multiply', dataset: { name: 'multiply' }, epochs: 100 },
  sum: { name: 'sum', dataset: { name: 'sum', n: 50 }, epochs: 200 },
};

describe('the example a text holds', () => {
  it('is the example whose value the text has, whatever its layout and key order', () => {
    expect(exampleOf(exampleText(EXAMPLES.sum), EXAMPLES)).toBe('sum');
    expect(exampleOf('{"epochs":100,"dataset":{"name":"multiply"},"name":"multiply"}', EXAMPLES)).toBe('multiply');
  });

  it('is none once a value changes, or when the text is not JSON', () => {
    expect(exampleOf(exampleText({ ...EXAMPLES.sum, epochs: 201 }), EXAMPLES)).toBeUndefined();
    expect(exampleOf(exampleText(EXAMPLES.sum).slice(0, -1), EXAMPLES)).toBeUndefined();
  });
});
