import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Rng } from '@trainyard/data';

/*
 * A deterministic CSV table for the dataset benches: an id, six numbers, a category text
 * column and a boolean, with missing cells (about 1 % of x3 and of color). The same size
 * gives the same bytes on every machine (the project's seeded Rng, no Math.random).
 */

const COLORS = ['red', 'green', 'blue', 'yellow', 'purple', 'orange', 'black', 'white'];
export const TABLE_HEADER = 'id,x1,x2,x3,x4,x5,color,flag,target\n';

/** One data row (with its line end) of the table, the `id`-th, from the generator's state. */
function row(id: number, random: () => number): string {
  const x1 = random() * 100;
  const x2 = (random() - 0.5) * 20;
  const x3 = random() < 0.01 ? '' : (random() * 1000).toFixed(2);
  const x4 = Math.floor(random() * 50);
  const x5 = random() * 5;
  const color = random() < 0.01 ? '' : COLORS[Math.floor(random() * COLORS.length)];
  const flag = random() < 0.5 ? 'true' : 'false';
  const target = 3 * x1 - 2 * x2 + x4 + random();
  return `${id},${x1.toFixed(4)},${x2.toFixed(4)},${x3},${x4},${x5.toFixed(3)},${color},${flag},${target.toFixed(4)}\n`;
}

/**
 * Writes the table to `path`: rows until the file has at least `targetBytes` bytes (whole rows,
 * about 60 bytes each). Returns its size and row count.
 */
export async function writeTable(path: string, targetBytes: number, seed = 1): Promise<{ bytes: number; rows: number }> {
  const rng = new Rng(seed);
  const random = (): number => rng.next();
  const out = createWriteStream(path);
  let bytes = TABLE_HEADER.length;
  let rows = 0;
  let batch = TABLE_HEADER;
  while (bytes < targetBytes) {
    const line = row(++rows, random);
    batch += line;
    bytes += line.length; // ASCII: one byte a character
    if (batch.length >= 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return { bytes, rows };
}
