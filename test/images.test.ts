// Image data of layered models (src/engine/images.ts, src/engine/digits.ts): validation names the bad
// field; gauss-images are the WASM Philox's NCHW draw laid out NHWC, with the labels of SCIENCE.md §5.3
// recomputed here in f64; inline NCHW images are transposed; mnist digits are the package's own images,
// picked by class, offset and split, 2×2-pooled to 14×14 on request.
import { describe, it, expect, beforeAll } from 'vitest';
import { createRequire } from 'node:module';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { STREAM } from '../src/engine/streams.js';
import { SpecError } from '../src/engine/spec.js';
import { validateImageData, isImageData, makeImageSet, digitsOf, type ImageSet } from '../src/engine/images.js';
import { loadDigits, digitImages, DIGIT_PIXELS } from '../src/engine/digits.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

const make = (spec: unknown, split: 'train' | 'test' = 'train'): ImageSet => makeImageSet(validateImageData(spec), wasm.heap, wasm.kernels, split);
const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** The SpecError that `f` throws (fails the test when it throws nothing or something else). */
function specError(f: () => unknown): SpecError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return e as SpecError;
  }
  throw new Error('expected a SpecError, nothing was thrown');
}

/** A C×H×W image whose pixel (c, h, w) is base + 100c + 10h + w. */
const image = (C: number, H: number, W: number, base = 0) =>
  Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) => Array.from({ length: W }, (_, w) => base + 100 * c + 10 * h + w)));

describe('validateImageData', () => {
  it('fills the presets’ defaults', () => {
    expect(validateImageData({ preset: 'gauss-images' })).toEqual({ preset: 'gauss-images', n: 100, channels: 3, size: 8, seed: 0 });
    expect(validateImageData({ preset: 'mnist' })).toEqual({
      preset: 'mnist',
      classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      perClass: 50,
      size: 28,
      labels: 'class',
      offset: 0,
    });
    expect(validateImageData({ preset: 'mnist', classes: [3, 8], labels: 'pm1', size: 14, perClass: 7, offset: 2 })).toEqual({
      preset: 'mnist',
      classes: [3, 8],
      perClass: 7,
      size: 14,
      labels: 'pm1',
      offset: 2,
    });
  });

  it.each([
    ['data', 7],
    ['data.preset', { preset: 'cifar10' }],
    ['data.n', { preset: 'gauss-images', n: 0 }],
    ['data.channels', { preset: 'gauss-images', channels: 1.5 }],
    ['data.size', { preset: 'gauss-images', size: 1 }],
    ['data.seed', { preset: 'gauss-images', seed: -1 }],
    ['data.colour', { preset: 'gauss-images', colour: true }],
    ['data.size', { preset: 'mnist', size: 20 }],
    ['data.classes', { preset: 'mnist', classes: [3] }],
    ['data.classes', { preset: 'mnist', classes: [3, 8, 3] }],
    ['data.classes[1]', { preset: 'mnist', classes: [3, 10] }],
    ['data.labels', { preset: 'mnist', labels: 'onehot' }],
    ['data.labels', { preset: 'mnist', labels: 'pm1' }],
    ['data.perClass', { preset: 'mnist', perClass: 0 }],
    ['data.offset', { preset: 'mnist', offset: -1 }],
    ['data.seed', { preset: 'mnist', seed: 1 }],
    ['data.x', { x: [], y: [] }],
    ['data.x', { y: [1] }],
    ['data.x[0]', { x: [null], y: [1] }],
    ['data.x[0]', { x: [[[]]], y: [1] }],
    ['data.x[1]', { x: [image(1, 2, 2), image(1, 2, 3)], y: [1, 1] }],
    [
      'data.x[0][0][1][0]',
      {
        x: [
          [
            [
              [0, 1],
              ['a', 2],
            ],
          ],
        ],
        y: [1],
      },
    ],
    ['data.y', { x: [image(1, 2, 2)], y: [1, -1] }],
    ['data.y[0]', { x: [image(1, 2, 2)], y: [null] }],
    ['data.z', { x: [image(1, 2, 2)], y: [1], z: 0 }],
  ])('names %s', (path, value) => {
    const e = specError(() => validateImageData(value));
    expect(e.path).toBe(path);
    expect(e.message.startsWith(`invalid RunSpec: ${path} `)).toBe(true);
  });

  it('says what is wrong', () => {
    expect(specError(() => validateImageData({ x: [image(3, 8, 8), image(3, 8, 8), image(3, 8, 8), image(3, 7, 8)], y: [1, 1, 1, 1] })).message).toBe(
      'invalid RunSpec: data.x[3] must be a C×H×W array of numbers like data.x[0] (3×8×8)',
    );
    expect(specError(() => validateImageData({ preset: 'cifar10' })).message).toContain('gauss-images, mnist');
    expect(specError(() => validateImageData({ preset: 'gauss-images', colour: true })).message).toContain('preset, n, channels, size, seed');
    expect(specError(() => validateImageData({ preset: 'mnist', classes: [1, 2, 3], labels: 'pm1' })).message).toContain('exactly two classes, got 3');
  });

  it('names fields under the path it is given', () => {
    expect(specError(() => validateImageData({ preset: 'mnist', size: 7 }, 'eval.data')).path).toBe('eval.data.size');
    expect(specError(() => validateImageData({ x: [image(1, 2, 2), [[[0]]]], y: [0, 0] }, 'test.data')).path).toBe('test.data.x[1]');
  });

  it('tells image data from row data', () => {
    expect(isImageData({ preset: 'gauss-images' })).toBe(true);
    expect(isImageData({ preset: 'mnist', classes: [3, 8] })).toBe(true);
    expect(isImageData({ x: [image(2, 3, 3)], y: [1] })).toBe(true);
    expect(isImageData({ preset: 'sin5d' })).toBe(false);
    expect(
      isImageData({
        x: [
          [0.5, 1],
          [2, 3],
        ],
        y: [1, 2],
      }),
    ).toBe(false);
    expect(isImageData(null)).toBe(false);
    expect(isImageData('mnist')).toBe(false);
  });

  it('lists the digits a spec needs loaded', () => {
    expect(digitsOf({ preset: 'mnist', classes: [7, 1] })).toEqual([7, 1]);
    expect(digitsOf({ preset: 'mnist' })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(digitsOf({ preset: 'gauss-images' })).toEqual([]);
  });
});

describe('gauss-images', () => {
  /** count standard normals from stream dataX of `seed` at counter ctr1, straight from the module. */
  function draw(count: number, seed: number, ctr1: number): Float32Array {
    const { heap, kernels } = wasm,
      mark = heap.mark(),
      p = heap.allocF32(count);
    kernels.philox_normal(p, count, 1, seed, 0, STREAM.dataX, ctr1);
    const out = heap.viewF32(p, count).slice();
    heap.release(mark);
    return out;
  }

  /** §5.3's label of image i of an NCHW draw, in f64: sign(left mean − right mean) of channel 0, 0 → +1. */
  function label(nchw: Float32Array, i: number, C: number, S: number): number {
    const half = Math.floor(S / 2);
    let left = 0,
      right = 0;
    for (let h = 0; h < S; h++)
      for (let w = 0; w < S; w++) {
        const v = nchw[((i * C + 0) * S + h) * S + w];
        if (w < half) left += v / (S * half);
        else right += v / (S * (S - half));
      }
    return left - right >= 0 ? 1 : -1;
  }

  it('has the defaults of SCIENCE.md §5.3 and standard normal pixels', () => {
    const set = make({ preset: 'gauss-images' });
    expect([set.name, set.n, set.C, set.H, set.W, set.x.length, set.y.length, set.classes]).toEqual(['gauss-images', 100, 3, 8, 8, 19200, 100, undefined]);
    const mean = set.x.reduce((s, v) => s + v, 0) / set.x.length;
    const variance = set.x.reduce((s, v) => s + (v - mean) ** 2, 0) / set.x.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('is the same bits twice, and a different seed or split gives different images', () => {
    const spec = { preset: 'gauss-images', n: 20, channels: 2, size: 6, seed: 5 };
    const a = make(spec),
      b = make(spec);
    expect(bits(a.x)).toEqual(bits(b.x));
    expect(bits(a.y)).toEqual(bits(b.y));
    const other = make({ ...spec, seed: 6 }),
      test = make(spec, 'test');
    expect(test.n).toBe(20);
    for (const c of [other, test]) expect(c.x.filter((v, j) => v !== a.x[j]).length).toBeGreaterThan(0.99 * a.x.length);
  });

  it('is the NCHW draw of stream dataX (counter 0 train, 2 test) laid out NHWC', () => {
    const n = 9,
      C = 3,
      S = 5,
      seed = 11;
    for (const [split, ctr1] of [
      ['train', 0],
      ['test', 2],
    ] as const) {
      const set = make({ preset: 'gauss-images', n, channels: C, size: S, seed }, split),
        nchw = draw(n * C * S * S, seed, ctr1);
      // one pixel by hand: image 4, channel 2, row 1, column 3
      expect(set.x[((4 * S + 1) * S + 3) * C + 2]).toBe(nchw[((4 * C + 2) * S + 1) * S + 3]);
      const nhwc = new Float32Array(nchw.length);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < C; c++)
          for (let h = 0; h < S; h++)
            for (let w = 0; w < S; w++) {
              nhwc[((i * S + h) * S + w) * C + c] = nchw[((i * C + c) * S + h) * S + w];
            }
      expect(bits(set.x)).toEqual(bits(nhwc));
    }
  });

  it.each([8, 7])('labels are sign(left − right mean of channel 0) at size %i', (S) => {
    const n = 200,
      C = 2,
      seed = 3,
      set = make({ preset: 'gauss-images', n, channels: C, size: S, seed }),
      nchw = draw(n * C * S * S, seed, 0);
    expect(Array.from(set.y)).toEqual(Array.from({ length: n }, (_, i) => label(nchw, i, C, S)));
    const positive = set.y.filter((v) => v === 1).length;
    expect(positive).toBeGreaterThan(60);
    expect(positive).toBeLessThan(140);
  });
});

describe('inline images', () => {
  it('transposes NCHW to NHWC and keeps the targets', () => {
    const x = [image(2, 3, 4, 1000), image(2, 3, 4, 2000)],
      y = [0.5, -2];
    const set = make({ x, y });
    expect([set.name, set.n, set.C, set.H, set.W, set.classes]).toEqual(['inline images', 2, 2, 3, 4, undefined]);
    expect(Array.from(set.y)).toEqual(y);
    for (let i = 0; i < 2; i++)
      for (let c = 0; c < 2; c++)
        for (let h = 0; h < 3; h++)
          for (let w = 0; w < 4; w++) {
            expect(set.x[((i * 3 + h) * 4 + w) * 2 + c]).toBe(1000 * (i + 1) + 100 * c + 10 * h + w);
          }
  });

  it('rounds pixels to f32 and has no test split', () => {
    const set = make({ x: [[[[0.1]]]], y: [1] });
    expect(set.x[0]).toBe(Math.fround(0.1));
    expect(() => make({ x: [[[[0.1]]]], y: [1] }, 'test')).toThrow(/no test split/);
  });
});

describe('mnist', () => {
  const pkg = createRequire(import.meta.url);
  /** Image j of `digit` as the package ships it (784 numbers in [0, 1]). */
  const packaged = (digit: number, j: number): number[] => (pkg(`mnist/src/digits/${digit}.json`) as { data: number[] }).data.slice(j * 784, (j + 1) * 784);
  const pixelsOf = (set: ImageSet, i: number) => set.x.subarray(i * set.H * set.W, (i + 1) * set.H * set.W);

  it('says when the digits are not loaded yet', () => {
    expect(() => make({ preset: 'mnist', classes: [4, 9], perClass: 1 })).toThrow(/loadDigits\(\[4\]\)/);
  });

  it('ships about a thousand images of each digit in the package', async () => {
    await loadDigits([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(DIGIT_PIXELS).toBe(784);
    const counts = Array.from({ length: 10 }, (_, d) => digitImages(d).length / 784);
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(digitImages(3).every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('gives class-major 28×28 images with class-index labels', () => {
    const set = make({ preset: 'mnist', classes: [7, 2, 5], perClass: 4 });
    expect([set.name, set.n, set.C, set.H, set.W, set.x.length, set.classes]).toEqual(['mnist 7/2/5', 12, 1, 28, 28, 12 * 784, 3]);
    expect(Array.from(set.y)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    const defaults = make({ preset: 'mnist' });
    expect([defaults.n, defaults.classes, defaults.y[49], defaults.y[50], defaults.y[499]]).toEqual([500, 10, 0, 1, 9]);
  });

  it('gives ±1 labels with pm1 (first class −1) and no class count', () => {
    const set = make({ preset: 'mnist', classes: [8, 3], perClass: 3, labels: 'pm1' });
    expect(Array.from(set.y)).toEqual([-1, -1, -1, 1, 1, 1]);
    expect(set.classes).toBeUndefined();
  });

  it('takes the package’s images in its own order: offset … offset + perClass − 1 for train, the next perClass for test', () => {
    const set = make({ preset: 'mnist', classes: [3, 8], perClass: 5 });
    expect(Array.from(pixelsOf(set, 0))).toEqual(Array.from(Float32Array.from(packaged(3, 0))));
    expect(Array.from(pixelsOf(set, 4))).toEqual(Array.from(Float32Array.from(packaged(3, 4))));
    expect(Array.from(pixelsOf(set, 5))).toEqual(Array.from(Float32Array.from(packaged(8, 0))));
    const shifted = make({ preset: 'mnist', classes: [3, 8], perClass: 5, offset: 7 });
    expect(Array.from(pixelsOf(shifted, 1))).toEqual(Array.from(Float32Array.from(packaged(3, 8))));
    const test = make({ preset: 'mnist', classes: [3, 8], perClass: 5, offset: 7 }, 'test');
    expect(Array.from(pixelsOf(test, 0))).toEqual(Array.from(Float32Array.from(packaged(3, 12))));
    expect(Array.from(pixelsOf(test, 9))).toEqual(Array.from(Float32Array.from(packaged(8, 16))));
    expect(Array.from(test.y)).toEqual(Array.from(shifted.y));
  });

  it('is the same bits twice', () => {
    const spec = { preset: 'mnist', classes: [1, 7], perClass: 20, size: 14 };
    const a = make(spec),
      b = make(spec);
    expect(bits(a.x)).toEqual(bits(b.x));
    expect(bits(a.y)).toEqual(bits(b.y));
  });

  it('size 14 averages 2×2 blocks in f64, then rounds to f32', () => {
    const set = make({ preset: 'mnist', classes: [0, 6], perClass: 2, size: 14 });
    expect([set.H, set.W, set.x.length]).toEqual([14, 14, 4 * 196]);
    // image 1 (digit 0, package image 1): the block of rows 2h, 2h+1 and columns 2w, 2w+1 whose
    // four pixels are all strictly between 0 and 1, so the average is a real rounding case
    const img = packaged(0, 1),
      at = (r: number, c: number) => img[r * 28 + c];
    let block: [number, number] | undefined;
    for (let h = 0; h < 14 && !block; h++)
      for (let w = 0; w < 14 && !block; w++) {
        const four = [at(2 * h, 2 * w), at(2 * h, 2 * w + 1), at(2 * h + 1, 2 * w), at(2 * h + 1, 2 * w + 1)];
        if (four.every((v) => v > 0 && v < 1) && new Set(four).size === 4) block = [h, w];
      }
    expect(block).toBeDefined();
    const [h, w] = block!;
    const byHand = Math.fround((at(2 * h, 2 * w) + at(2 * h, 2 * w + 1) + at(2 * h + 1, 2 * w) + at(2 * h + 1, 2 * w + 1)) / 4);
    expect(pixelsOf(set, 1)[h * 14 + w]).toBe(byHand);
    expect(pixelsOf(set, 0)[0]).toBe(0); // the corner of a digit is blank
  });

  it('stops with the package’s count when asked for more images than it ships', () => {
    // digit 5 has 863 images: 432 train + 432 test would need 864
    expect(make({ preset: 'mnist', classes: [1, 5], perClass: 432 }).n).toBe(864);
    expect(make({ preset: 'mnist', classes: [1, 5], perClass: 431 }, 'test').n).toBe(862);
    const e = specError(() => make({ preset: 'mnist', classes: [1, 5], perClass: 432 }, 'test'));
    expect(e.path).toBe('data.perClass');
    expect(e.message).toContain('digit 5');
    expect(e.message).toContain('863');
    expect(specError(() => make({ preset: 'mnist', classes: [2, 9], perClass: 1, offset: 978 })).message).toContain(
      'images 978–978 of digit 9 (train), the mnist package has 978',
    );
  });
});
