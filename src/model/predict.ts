// A layered model's outputs on a sample set for given parameters, through the same program and
// kernels that train it (forward only), and the accuracy they give: argmax against class labels,
// or sign against ±1 targets for a single output; a snapshot's accuracy on a split is computed once
// (measures and curves both read the last snapshot's).
import type { WasmInstance } from '../wasm/load.js';
import { buildProgram } from './program.js';
import { CpuProgram } from './cpu-program.js';
import { makeSamples, type SampleSet } from './samples.js';
import type { LayeredRunSpec } from './spec.js';
import type { LayeredTrajectory, ParamLayout } from './trajectory.js';

/** f = (1/α)·network(x) for every sample (n × K), in f32 with the WASM kernels. */
export function predict(spec: LayeredRunSpec, layout: ParamLayout[], params: Float32Array, samples: SampleSet, wasm: WasmInstance): Float32Array {
  const mark = wasm.heap.mark();
  try {
    const program = buildProgram(spec.model, { kind: 'gd' }, samples.input, samples.n, wasm.kernels.pow64);
    if (program.paramCount !== params.length) throw new Error(`predict: the model has ${program.paramCount} parameters, the snapshot ${params.length}`);
    const exec = new CpuProgram(wasm.heap, wasm.kernels, program);
    program.params.forEach((p, j) => exec.view(p.param).set(params.subarray(layout[j].offset, layout[j].offset + program.tensors[p.param].size)));
    exec.view(program.input).set(samples.x);
    exec.view(program.target).set(samples.y);
    exec.forwardNow();
    return exec.view(program.output).slice();
  } finally {
    wasm.heap.release(mark);
  }
}

/** The class of sample i: the first of its K outputs (row i of f) that is largest. */
export function argmaxRow(f: Float32Array, i: number, K: number): number {
  let best = 0;
  for (let j = 1; j < K; j++) if (f[i * K + j] > f[i * K + best]) best = j;
  return best;
}

/** Share of samples classified right: argmax over K outputs vs class labels, or sign(f) vs sign(y) for K = 1. */
export function accuracy(f: Float32Array, samples: SampleSet): number {
  const n = samples.n,
    K = f.length / n;
  let right = 0;
  for (let i = 0; i < n; i++) {
    if (K === 1) {
      if (Math.sign(f[i]) === Math.sign(samples.y[i])) right++;
      continue;
    }
    const best = argmaxRow(f, i, K);
    const label = samples.classes !== undefined && samples.y.length === n ? samples.y[i] : samples.y.subarray(i * K, (i + 1) * K).indexOf(1);
    if (best === label) right++;
  }
  return right / n;
}

const accuracies = new WeakMap<Float32Array, Map<'train' | 'test', number>>();

/** Accuracy of one snapshot's parameters of run `t` on its training or test samples (digits loaded), once per snapshot and split. */
export function snapshotAccuracy(t: LayeredTrajectory, params: Float32Array, split: 'train' | 'test', wasm: WasmInstance): number {
  const known = accuracies.get(params) ?? new Map<'train' | 'test', number>();
  accuracies.set(params, known);
  let value = known.get(split);
  if (value === undefined) {
    const samples = makeSamples(t.spec, t.shape.K, wasm.heap, wasm.kernels, split);
    value = accuracy(predict(t.spec, t.layout, params, samples, wasm), samples);
    known.set(split, value);
  }
  return value;
}
