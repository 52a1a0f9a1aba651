// Benchmark tasks: GEMM at several sizes on the WASM kernels, their scalar reference and the tfjs
// backends; one two-layer training step on the WASM engine and in tfjs; the f32x4 micro-peak.
// Each task prepares its inputs, runs one timed unit of work per call, and frees what it made.
import type { WasmInstance } from '../wasm/load.js';
import type { F32Kernels } from '../wasm/kernels.js';
import { createReferenceKernels } from '../reference/index.js';
import { TwoLayerF32 } from '../engine/twolayer-f32.js';
import { Optimizer } from '../engine/optimizer.js';
import { activationByName } from '../engine/activations.js';
import type { Dataset } from '../engine/data.js';
import { useTfjs, tfjsMatMul, tfjsTrainStep, type TfjsTask } from './tfjs.js';

export interface BenchTask {
  task: 'gemm' | 'train-step' | 'peak';
  impl: string;
  size: string;
  /** floating-point operations per call */
  flops: number;
  /** fewest timed calls (slow tasks) */
  minIterations?: number;
  prepare(): Promise<{ run: () => void; dispose: () => void }>;
}

export const GEMM_SIZES = [64, 128, 256, 512];
export const STEP_WIDTHS = [1000, 4000];
export const STEP_SAMPLES = 100;
export const STEP_INPUT_DIM = 100;
const PEAK_ITERS = 2_000_000;

function wasmGemm(w: WasmInstance, kernels: F32Kernels, n: number) {
  const { heap } = w;
  const mark = heap.mark();
  const A = heap.allocF32(n * n), B = heap.allocF32(n * n), C = heap.allocF32(n * n);
  const work = heap.alloc(w.kernels.gemm_workspace_bytes());
  w.kernels.philox_uniform(A, n * n, 1, 0, 0, 0);
  w.kernels.philox_uniform(B, n * n, 1, 0, 1, 0);
  return { run: () => kernels.gemm_nn(n, n, n, A, n, B, n, C, n, work), dispose: () => heap.release(mark) };
}

/** Random step data: x ~ U[−1, 1)^d with the bias column, y ~ U[−1, 1). */
function stepData(w: WasmInstance, n: number, d: number): Dataset {
  const { heap, kernels: k } = w;
  const mark = heap.mark();
  const p = heap.allocF32(n * d + n);
  k.philox_uniform(p, n * d + n, 7, 0, 0, 0);
  const u = heap.viewF32(p, n * d + n);
  const x = new Float32Array(n * (d + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * (d + 1) + j] = 2 * u[i * d + j] - 1;
    x[i * (d + 1) + d] = 1;
  }
  const y = Float32Array.from(u.subarray(n * d), (v) => 2 * v - 1);
  heap.release(mark);
  return { n, d, x, y, name: 'bench' };
}

const stepFlops = (n: number, D: number, m: number) => 4 * n * m * D + 4 * n * m;

function wasmStep(w: WasmInstance, m: number) {
  const { heap, kernels: k } = w;
  const data = stepData(w, STEP_SAMPLES, STEP_INPUT_DIM);
  const mark = heap.mark();
  const net = new TwoLayerF32(heap, k, data, m, activationByName('tanh').kind, m, undefined);
  k.philox_normal(net.ptr.a, m, 0.1, 1, 0, 2, 0);
  k.philox_normal(net.ptr.W, m * (data.d + 1), 0.1, 1, 0, 3, 0);
  const opt = new Optimizer({ kind: 'gd' }, heap, k, net);
  let step = 0;
  return {
    run: () => {
      net.forward(step++);
      net.backward();
      opt.step(1e-3);
    },
    dispose: () => heap.release(mark),
  };
}

function fromTfjs(make: () => TfjsTask) {
  const t = make();
  return { run: () => t.run(), dispose: () => t.dispose() };
}

export function benchTasks(w: WasmInstance): BenchTask[] {
  const reference = createReferenceKernels(w.heap);
  const tasks: BenchTask[] = [
    { task: 'peak', impl: 'wasm-simd', size: `f32x4 mul+add ×12 chains, ${PEAK_ITERS} iters`, flops: 96 * PEAK_ITERS, prepare: async () => ({ run: () => void w.kernels.peak_f32x4(PEAK_ITERS), dispose: () => {} }) },
  ];
  for (const n of GEMM_SIZES) {
    const flops = 2 * n ** 3, size = `n=${n}`;
    tasks.push(
      { task: 'gemm', impl: 'wasm-simd', size, flops, prepare: async () => wasmGemm(w, w.kernels, n) },
      { task: 'gemm', impl: 'reference-scalar', size, flops, minIterations: 3, prepare: async () => wasmGemm(w, reference, n) },
      { task: 'gemm', impl: 'tfjs-wasm', size, flops, prepare: async () => (await useTfjs('wasm'), fromTfjs(() => tfjsMatMul(n))) },
      { task: 'gemm', impl: 'tfjs-cpu', size, flops, minIterations: 3, prepare: async () => (await useTfjs('cpu'), fromTfjs(() => tfjsMatMul(n))) },
    );
  }
  for (const m of STEP_WIDTHS) {
    const n = STEP_SAMPLES, D = STEP_INPUT_DIM + 1, size = `m=${m},n=${n},d=${STEP_INPUT_DIM}`, flops = stepFlops(n, D, m);
    tasks.push(
      { task: 'train-step', impl: 'wasm-simd', size, flops, prepare: async () => wasmStep(w, m) },
      {
        task: 'train-step', impl: 'tfjs-wasm', size, flops,
        prepare: async () => {
          await useTfjs('wasm');
          const data = stepData(w, n, STEP_INPUT_DIM);
          return fromTfjs(() => tfjsTrainStep(data.x, data.y, n, D, m, m, 1e-3));
        },
      },
    );
  }
  return tasks;
}
