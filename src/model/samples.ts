// The samples a layered model trains on: image sets (NHWC) or the rows of today's presets (without
// the bias column the two-layer network appends), with targets shaped for the loss: n × K for MSE
// (class labels become one-hot rows when K > 1), n class indices for softmax cross-entropy.
import type { Heap } from '../wasm/heap.js';
import type { WasmKernels } from '../wasm/kernels.js';
import { makeDataset } from '../engine/data.js';
import { SpecError } from '../engine/fields.js';
import { makeImageSet, isImageData, type ImageDataSpec } from '../engine/images.js';
import type { DataSpec } from '../engine/spec.js';
import { shapeSize, type Shape } from './layers.js';
import { inputShape, type LayeredRunSpec } from './spec.js';

export interface SampleSet {
  name: string;
  n: number;
  input: Shape;
  /** n × features (NHWC per image) */
  x: Float32Array;
  /** n × K targets (mse) or n class indices (softmax-ce) */
  y: Float32Array;
  /** class labels 0..classes−1, when the data has them */
  classes?: number;
}

function rawSamples(data: DataSpec | ImageDataSpec, heap: Heap, k: WasmKernels, split: 'train' | 'test'): Omit<SampleSet, 'y'> & { labels: Float32Array } {
  const input = inputShape(data);
  if (isImageData(data)) {
    const set = makeImageSet(data as ImageDataSpec, heap, k, split);
    return { name: set.name, n: set.n, input, x: set.x, labels: set.y, classes: set.classes };
  }
  if (split === 'test') throw new Error(`data ${'preset' in data ? data.preset : 'inline'} has no test split`);
  const rows = makeDataset(data as DataSpec, heap, k),
    d = rows.d;
  const x = new Float32Array(rows.n * d);
  for (let i = 0; i < rows.n; i++) x.set(rows.x.subarray(i * (d + 1), i * (d + 1) + d), i * d);
  return { name: rows.name, n: rows.n, input, x, labels: rows.y };
}

/** The samples of `spec.data` (or its test split), checked against the model's K outputs and loss. */
export function makeSamples(spec: LayeredRunSpec, K: number, heap: Heap, k: WasmKernels, split: 'train' | 'test' = 'train'): SampleSet {
  const raw = rawSamples(spec.data, heap, k, split);
  if (raw.x.length !== raw.n * shapeSize(raw.input))
    throw new Error(`data ${raw.name}: ${raw.x.length} input values for ${raw.n} samples of ${shapeSize(raw.input)}`);
  const base = { name: raw.name, n: raw.n, input: raw.input, x: raw.x, classes: raw.classes };
  if (spec.model.loss === 'softmax-ce') {
    if (raw.classes === undefined) throw new SpecError('model.loss', `softmax-ce needs class labels, and data ${raw.name} gives real targets`);
    if (raw.classes !== K) throw new SpecError('model.layers', `end in ${K} outputs, but data ${raw.name} has ${raw.classes} classes`);
    return { ...base, y: raw.labels };
  }
  if (K === 1) return { ...base, y: raw.labels };
  if (raw.classes !== K)
    throw new SpecError(
      'model.layers',
      `end in ${K} outputs, but data ${raw.name} gives one target per sample${raw.classes ? ` (${raw.classes} classes)` : ''}`,
    );
  const y = new Float32Array(raw.n * K);
  raw.labels.forEach((c, i) => {
    y[i * K + c] = 1;
  });
  return { ...base, y };
}
