// Training data of a RunSpec: inline rows or one of the presets of SCIENCE.md, as f32 rows with the
// bias input 1 appended (x̃ = (x, 1)). Random inputs come from Philox (stream dataX, the preset's
// own seed, default 0), and targets use the WASM module's libm, so data are the same bits anywhere.
import type { DataSpec } from './spec.js';
import type { WasmKernels } from '../wasm/kernels.js';
import type { Heap } from '../wasm/heap.js';
import { STREAM } from './streams.js';

export interface Dataset {
  n: number;
  /** input dimension d (without the bias) */
  d: number;
  /** n × (d + 1), row-major, last column 1 */
  x: Float32Array;
  y: Float32Array;
  name: string;
}

function uniforms(heap: Heap, k: WasmKernels, count: number, seed: number): Float64Array {
  const mark = heap.mark();
  const p = heap.allocF32(count);
  k.philox_uniform(p, count, seed, 0, STREAM.dataX, 0);
  const u = Float64Array.from(heap.viewF32(p, count));
  heap.release(mark);
  return u;
}

/** count standard normals (f32) from stream dataX at counter ctr1. */
function normals(heap: Heap, k: WasmKernels, count: number, seed: number, ctr1: number): Float64Array {
  const mark = heap.mark();
  const p = heap.allocF32(count);
  k.philox_normal(p, count, 1, seed, 0, STREAM.dataX, ctr1);
  const z = Float64Array.from(heap.viewF32(p, count));
  heap.release(mark);
  return z;
}

/** tanh from the WASM module's pow (bit-identical anywhere): tanh x = sign x·(1 − e^{−2|x|})/(1 + e^{−2|x|}). */
function tanh64(k: WasmKernels, x: number): number {
  const t = k.pow64(Math.E, -2 * Math.abs(x));
  return Math.sign(x) * ((1 - t) / (1 + t));
}

/** Input dimension of the teacher10d preset. */
const TEACHER_DIM = 10;

/** The teacher10d preset's unit teacher direction w* ∈ R¹⁰ (stream dataX, counter 1, of its seed). */
export function teacherDirection(heap: Heap, k: WasmKernels, seed: number): number[] {
  const z = Array.from(normals(heap, k, TEACHER_DIM, seed, 1));
  const norm = Math.hypot(...z);
  return z.map((v) => v / norm);
}

/**
 * The teacher–student task of SCIENCE.md §8.3 b (dropout Fig. 7 a,b): x ~ N(0, I₁₀), y = tanh(w*·x).
 * The training inputs are counter 0 of the preset's stream dataX; 'test' draws a held-out set from counter 2.
 */
export function teacherStudentSet(heap: Heap, k: WasmKernels, n: number, seed: number, split: 'train' | 'test'): Dataset {
  const d = TEACHER_DIM,
    z = normals(heap, k, n * d, seed, split === 'train' ? 0 : 2),
    teacher = teacherDirection(heap, k, seed);
  const rows = Array.from({ length: n }, (_, i) => Array.from(z.subarray(i * d, (i + 1) * d)));
  return build('teacher10d', rows, (r) =>
    tanh64(
      k,
      r.reduce((s, v, j) => s + v * teacher[j], 0),
    ),
  );
}

function build(name: string, rows: number[][], target: (x: number[]) => number): Dataset {
  const n = rows.length,
    d = rows[0].length;
  const x = new Float32Array(n * (d + 1));
  const y = new Float32Array(n);
  rows.forEach((r, i) => {
    const rf = r.map(Math.fround);
    x.set([...rf, 1], i * (d + 1));
    y[i] = target(rf);
  });
  return { n, d, x, y, name };
}

export function makeDataset(spec: DataSpec, heap: Heap, k: WasmKernels): Dataset {
  if (!('preset' in spec)) {
    const inline = build('inline', spec.x, () => 0);
    inline.y.set(spec.y);
    return inline;
  }
  const seed = 'seed' in spec && spec.seed !== undefined ? spec.seed : 0;
  const relu = (v: number) => Math.max(v, 0);
  switch (spec.preset) {
    case 'luo2021-4pt': // Luo et al. 2021 Fig. 2–4: linspace(−½, ½, 4), y = x²
      return build(
        spec.preset,
        [-0.5, -1 / 6, 1 / 6, 0.5].map((v) => [v]),
        ([v]) => v * v,
      );
    case 'sin5d': {
      // NeurIPS'22 Fig. 2: x ~ U[−4, 2]⁵, y = Σ 3.5·sin(5xₖ + 1)
      const n = spec.n ?? 80,
        u = uniforms(heap, k, n * 5, seed);
      const rows = Array.from({ length: n }, (_, i) => Array.from(u.subarray(i * 5, i * 5 + 5), (v) => -4 + 6 * v));
      return build(spec.preset, rows, (r) => r.reduce((s, v) => s + 3.5 * k.sin64(5 * v + 1), 0));
    }
    case 'sin3d': {
      // NeurIPS'22 Fig. 3: x ~ U[−4, 2]³, y = Σ 4·sin(12xₖ + 1)
      const n = spec.n ?? 80,
        u = uniforms(heap, k, n * 3, seed);
      const rows = Array.from({ length: n }, (_, i) => Array.from(u.subarray(i * 3, i * 3 + 3), (v) => -4 + 6 * v));
      return build(spec.preset, rows, (r) => r.reduce((s, v) => s + 4 * k.sin64(12 * v + 1), 0));
    }
    case 'sin1d': {
      // NeurIPS'22 Fig. 5: x ~ U[−1, 1.5], y = sin 3x + ½ sin 6x
      const n = spec.n ?? 40,
        u = uniforms(heap, k, n, seed);
      return build(
        spec.preset,
        Array.from(u, (v) => [-1 + 2.5 * v]),
        ([v]) => k.sin64(3 * v) + k.sin64(6 * v) / 2,
      );
    }
    case 'overview1d': {
      // overview §9.1: ReLU staircase target on linspace(−1, 1, n)
      const n = spec.n ?? 40;
      const rows = Array.from({ length: n }, (_, i) => [n === 1 ? 0 : -1 + (2 * i) / (n - 1)]);
      return build(spec.preset, rows, ([v]) => -relu(v) + relu(2 * (v + 0.3)) - relu(1.5 * (v - 0.4)) + relu(0.5 * (v - 0.8)));
    }
    case 'teacher10d': // dropout §8.3 b: x ~ N(0, I₁₀), y = tanh(w*·x), ‖w*‖ = 1
      return teacherStudentSet(heap, k, spec.n ?? 200, seed, 'train');
  }
}
