import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegBytes, makeZip, pngBytes, type ZipEntry } from '../testing/image-archives.js';
import { makeTempDir } from '../testing/temp-dir.js';
import { archiveFiles, archiveFormat } from './archive-files.js';
import { decodeImage } from './decode-image.js';
import { imageFolderRows, profileImageFolder, readImageFolder } from './image-folder.js';

const white = (): [number, number, number] => [255, 255, 255];
const red = (): [number, number, number] => [255, 0, 0];
/** Left half black, right half white. */
const halves = (x: number): [number, number, number] => (x < 2 ? [0, 0, 0] : [255, 255, 255]);

function flowers(): ZipEntry[] {
  return [
    { path: 'flowers/tulip/b.png', data: pngBytes(4, 2, halves) },
    { path: 'flowers/tulip/a.jpg', data: jpegBytes(8, 8, white) },
    { path: 'flowers/daisy/1.png', data: pngBytes(4, 4, red) },
    { path: 'flowers/daisy/sub/2.PNG', data: pngBytes(2, 2, white) },
    { path: '__MACOSX/flowers/daisy/._1.png', data: new Uint8Array([0, 1, 2]) },
    { path: 'flowers/.DS_Store', data: new Uint8Array([9]) },
  ];
}

describe('archives', () => {
  it.each([false, true])('lists a zip (stored: %s): its files, not its directories', (store) => {
    const zip = makeZip([{ path: 'a/', data: new Uint8Array() }, { path: 'a/x.txt', data: new TextEncoder().encode('hello') }, { path: 'b.bin', data: new Uint8Array([1, 2, 3]) }], { store });
    expect(archiveFormat(zip)).toBe('zip');
    const files = archiveFiles(zip);
    expect(files.map((f) => [f.path, f.size])).toEqual([['a/x.txt', 5], ['b.bin', 3]]);
    expect(new TextDecoder().decode(files[0]?.read())).toBe('hello');
    expect(Array.from(files[1]?.read() ?? [])).toEqual([1, 2, 3]);
  });

  it('refuses an archive that unpacks past the limit, before unpacking it', () => {
    const zip = makeZip([{ path: 'zeros.bin', data: new Uint8Array(100_000) }]);
    expect(zip.length).toBeLessThan(1_000);
    expect(() => archiveFiles(zip, { maxUnpackedBytes: 50_000, maxFiles: 10 })).toThrow(/unpacks to 100000 bytes; at most 50000/);
    expect(() => archiveFiles(zip, { maxUnpackedBytes: 1e9, maxFiles: 0 })).toThrow(/holds 1 files; at most 0/);
  });

  it('catches a zip whose directory understates a file (a bomb in disguise)', () => {
    const zip = makeZip([{ path: 'zeros.bin', data: new Uint8Array(100_000) }]);
    // Patch the central directory's uncompressed size (offset 24 of its record) down to 10 bytes.
    const view = new DataView(zip.buffer);
    const central = zip.length - 22 - 46 - 'zeros.bin'.length;
    view.setUint32(central + 24, 10, true);
    const [file] = archiveFiles(zip);
    expect(() => file?.read()).toThrow(/zeros\.bin does not inflate/);
  });

  it('says what it cannot read: not an archive, a truncated zip', () => {
    expect(() => archiveFiles(new TextEncoder().encode('a,b\n1,2\n'))).toThrow(/not a zip or tar archive/);
    const zip = makeZip([{ path: 'a.txt', data: new Uint8Array([1]) }]);
    expect(() => archiveFiles(zip.subarray(0, zip.length - 30))).toThrow(/zip/);
  });
});

describe('image folders', () => {
  it('lays out classes in sorted order, images in path order, under one optional top folder, ignoring system files', () => {
    const layout = readImageFolder(makeZip(flowers()));
    expect(layout.classes).toEqual(['daisy', 'tulip']);
    expect(layout.files.map((f) => [f.classIndex, f.path])).toEqual([
      [0, 'flowers/daisy/1.png'],
      [0, 'flowers/daisy/sub/2.PNG'],
      [1, 'flowers/tulip/a.jpg'],
      [1, 'flowers/tulip/b.png'],
    ]);
  });

  it.each([
    [[{ path: 'cat/1.png', data: pngBytes(1, 1, white) }, { path: 'loose.png', data: pngBytes(1, 1, white) }], /'loose\.png' is not inside a class folder/],
    [[{ path: 'cat/1.png', data: pngBytes(1, 1, white) }, { path: 'dog/notes.txt', data: new Uint8Array([1]) }], /'dog\/notes\.txt' is not a PNG or JPEG file/],
    [[{ path: 'cat/1.png', data: pngBytes(1, 1, white) }], /one class folder \('cat'\)/],
    [[{ path: '.hidden', data: new Uint8Array([1]) }], /holds no images/],
  ])('names what is wrong with a layout (%#)', (entries, message) => {
    expect(() => readImageFolder(makeZip(entries))).toThrow(message);
  });

  it('profiles every image: counts per class, sizes, colour, types and thumbnails', async () => {
    const profile = await profileImageFolder(makeZip(flowers()), async () => undefined);
    expect(profile).toMatchObject({
      format: 'images',
      archive: 'zip',
      images: 4,
      classes: [{ name: 'daisy', count: 2 }, { name: 'tulip', count: 2 }],
      width: { min: 2, max: 8 },
      height: { min: 2, max: 8 },
      color: 'color',
      types: { png: 3, jpeg: 1 },
    });
    expect(profile.thumbnails).toHaveLength(4);
    const red4x4 = profile.thumbnails.find((t) => t.path === 'flowers/daisy/1.png');
    expect(red4x4).toMatchObject({ classIndex: 0, width: 4, height: 4 });
    expect(Array.from(Buffer.from(red4x4?.rgb ?? '', 'base64').subarray(0, 3))).toEqual([255, 0, 0]);
  });

  it('names a corrupt image and a file that only looks like one', async () => {
    const png = pngBytes(4, 4, white);
    const broken = [{ path: 'a/ok.png', data: png }, { path: 'b/broken.png', data: png.subarray(0, 40) }];
    await expect(profileImageFolder(makeZip(broken), async () => undefined)).rejects.toThrow(/'b\/broken\.png' could not be decoded as PNG/);
    const fake = [{ path: 'a/ok.png', data: png }, { path: 'b/fake.jpg', data: new TextEncoder().encode('<html>') }];
    await expect(profileImageFolder(makeZip(fake), async () => undefined)).rejects.toThrow(/'b\/fake\.jpg' is not a PNG or JPEG image/);
  });

  it('refuses a PNG whose header claims a huge size before decoding it', () => {
    const png = pngBytes(2, 2, white);
    const view = new DataView(png.buffer, png.byteOffset);
    view.setUint32(16, 100_000);
    view.setUint32(20, 100_000);
    expect(() => decodeImage(png, 'huge.png')).toThrow(/'huge\.png' is 100000x100000: over 40 megapixels/);
  });

  it('gives every image as a row of the asked size: gray or RGB, 0..255, channels last', () => {
    const layout = readImageFolder(makeZip(flowers()));
    const gray = imageFolderRows(layout, { height: 1, width: 2, channels: 1 });
    expect(gray.y).toEqual([[0], [0], [1], [1]]);
    // tulip/b.png: left half black, right half white, shrunk to 2x1.
    expect(Array.from(gray.x[3] ?? [])).toEqual([0, 255]);
    const rgb = imageFolderRows(layout, { height: 2, width: 2, channels: 3 });
    expect(Array.from(rgb.x[0]?.slice(0, 3) ?? [])).toEqual([255, 0, 0]);
    expect(rgb.x[0]).toHaveLength(12);
    // One byte per value: every row is a view into one array.
    expect(rgb.x.every((row) => row instanceof Uint8Array && row.buffer === rgb.x[0]?.buffer)).toBe(true);
  });

  describe('tar archives made by the system tar', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await makeTempDir('trainyard-images-');
      for (const { path, data } of flowers().filter((e) => !e.path.startsWith('__MACOSX'))) {
        await mkdir(join(dir, dirname(path)), { recursive: true });
        await writeFile(join(dir, path), data);
      }
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('reads .tar and .tar.gz alike', async () => {
      const tar = new Uint8Array(execFileSync('tar', ['-cf', '-', '-C', dir, 'flowers']));
      expect(archiveFormat(tar)).toBe('tar');
      expect(readImageFolder(tar).classes).toEqual(['daisy', 'tulip']);
      const tgz = new Uint8Array(gzipSync(tar));
      expect(archiveFormat(tgz)).toBe('tar.gz');
      expect((await profileImageFolder(tgz, async () => undefined)).classes).toEqual([{ name: 'daisy', count: 2 }, { name: 'tulip', count: 2 }]);
    });
  });
});
