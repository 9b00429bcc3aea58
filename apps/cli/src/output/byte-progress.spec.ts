import { describe, expect, it } from 'vitest';
import { ByteProgress, renderBytes, type ProgressStream } from './byte-progress.js';

function stream(isTTY: boolean): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, write: (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0, text: () => chunks.join('') };
}

describe('ByteProgress', () => {
  it('draws bytes sent of the total on one terminal line, at most every 100 ms, and clears it when done', async () => {
    const out = stream(true);
    let now = 1_000;
    const progress = new ByteProgress(out, 'Uploading a.csv', 4 * 1024 * 1024, () => now);
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const reader = progress.counting(source).getReader();
    let bytes = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      bytes += read.value.byteLength;
      now += 60;
    }
    progress.finish();
    expect(bytes).toBe(4 * 1024 * 1024);
    const drawn = out.text().split('\r\x1b[2K').filter(Boolean);
    expect(drawn).toEqual([renderBytes('Uploading a.csv', 1024 * 1024, 4 * 1024 * 1024), renderBytes('Uploading a.csv', 3 * 1024 * 1024, 4 * 1024 * 1024)]);
    expect(out.text().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('writes nothing to a log or pipe', () => {
    const out = stream(false);
    const progress = new ByteProgress(out, 'Uploading', 10, () => 5_000);
    progress.add(10);
    progress.finish();
    expect(out.text()).toBe('');
  });

  it('renders sizes, a bar and a percentage', () => {
    expect(renderBytes('Uploading a.csv', 1024 * 1024, 4 * 1024 * 1024)).toBe('Uploading a.csv  1.0 MiB / 4.0 MiB [======>.......................]  25%');
    expect(renderBytes('x', 10, 10)).toBe(`x  10 B / 10 B [${'='.repeat(30)}] 100%`);
  });
});
