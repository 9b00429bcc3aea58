import * as tf from '@tensorflow/tfjs';

/*
 * Convolution gradients for tfjs-backend-wasm 4.22, written as forward convolutions, which
 * wasm runs fast (XNNPACK):
 *
 * - Conv2DBackpropFilter is missing from wasm, so a conv2d layer could not train on it at all
 *   ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 * - Conv2DBackpropInput exists but is a plain loop: for the MNIST convnet's second layer it took
 *   300 ms of a 900 ms step (batch 128), against about 30 ms as a convolution. Strided ones
 *   keep wasm's own kernel (a strided transpose is not a plain convolution).
 *
 * Same numbers as the cpu backend up to the order of float sums (wasm-conv-kernels.spec.ts),
 * and deterministic run to run.
 */

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;

interface FilterAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: string;
  dimRoundingMode?: RoundingMode;
  filterShape: [number, number, number, number];
}

interface InputAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: string;
  dimRoundingMode?: RoundingMode;
  inputShape: [number, number, number, number];
}

let registered = false;

/** Registers both kernels for 'wasm' once per process; a no-op after the first call. */
export function registerWasmConvKernels(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: ({ inputs, attrs }) => {
        const { x, dy } = tensors(inputs, ['x', 'dy'], 'Conv2DBackpropFilter');
        const a = attrs as unknown as FilterAttrs;
        checkFormat(a.dataFormat, 'Conv2DBackpropFilter');
        return tf.tidy(() => backpropFilter(x, dy, a));
      },
    });
  }
  const wasmInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (wasmInput) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({
      ...wasmInput,
      kernelFunc: (args) => {
        const a = args.attrs as unknown as InputAttrs;
        const [sh, sw] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
        if (sh !== 1 || sw !== 1 || a.dataFormat !== 'NHWC') return wasmInput.kernelFunc(args);
        const { dy, filter } = tensors(args.inputs, ['dy', 'filter'], 'Conv2DBackpropInput');
        return tf.tidy(() => backpropInput(dy, filter, a));
      },
    });
  }
}

/**
 * dW[a, b, ci, co] = sum over n, i, j of xPadded[n, a + i*sh, b + j*sw, ci] * dy[n, i, j, co]:
 * a stride-1 convolution of x (channels and batch swapped) with dy as the filter, dilated by the
 * strides, cut to the kernel size.
 */
function backpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, { strides, pad, dimRoundingMode, filterShape }: FilterAttrs): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw] = filterShape;
  const padded = tf.pad(x, [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]]);
  const asBatch = tf.transpose(padded, [3, 1, 2, 0]); // [ci, H, W, n]
  const asFilter = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, n, co]
  const full = tf.conv2d(asBatch, asFilter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]); // [ci, >=kh, >=kw, co]
  return tf.transpose(tf.slice(full, [0, 0, 0, 0], [-1, kh, kw, -1]), [1, 2, 0, 3]);
}

/**
 * With stride 1, dx is dy padded by (kernel - 1 - the forward padding) on each side and
 * convolved with the kernel turned 180 degrees, its in and out channels swapped.
 */
function backpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, { pad, dimRoundingMode, inputShape }: InputAttrs): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, 1, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw] = filter.shape;
  const padded = tf.pad(dy, [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]]);
  const turned = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [kh, kw, co, ci]
  return tf.conv2d(padded, turned, 1, 'valid');
}

function tensors<K extends string>(inputs: tf.NamedTensorInfoMap, names: K[], kernel: string): Record<K, tf.Tensor4D> {
  const out = {} as Record<K, tf.Tensor4D>;
  for (const name of names) {
    const value = inputs[name];
    if (!(value instanceof tf.Tensor)) throw new Error(`${kernel} on wasm needs tensor inputs`);
    out[name] = value as tf.Tensor4D;
  }
  return out;
}

function checkFormat(dataFormat: string, kernel: string): void {
  if (dataFormat !== 'NHWC') throw new Error(`${kernel} on wasm supports NHWC only, got ${dataFormat}`);
}
