import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetCachePath } from './dataset-cache-path.js';

describe('datasetCachePath', () => {
  it('is <dataHome>/datasets/<sha256>, and refuses anything but a sha256', () => {
    const sha = 'ab'.repeat(32);
    expect(datasetCachePath('/data', sha)).toBe(join('/data', 'datasets', sha));
    for (const bad of ['', '../../etc/passwd', 'AB'.repeat(32), `${sha}/x`, 'a'.repeat(63)]) {
      expect(() => datasetCachePath('/data', bad)).toThrow(/not a sha256/);
    }
  });
});
