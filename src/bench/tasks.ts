// Benchmark tasks: GEMM at several sizes on the WASM kernels, their scalar reference and the tfjs
// backends; one two-layer training step on the WASM engine and in tfjs; the f32x4 micro-peak.
// Each task prepares its inputs, runs one timed unit of work per call, and frees what it made.
import type { WasmInstance } from '../wasm/load.js';
import type { F32Kernels } from '../wasm/kernels.js';
import { createReferenceKernels } from '../reference/index.js';
import { uniformInputs } from '../wasm/inputs.js';
import { TwoLayerF32 } from '../engine/twolayer-f32.js';
import { Optimizer } from '../engine/optimizer.js';
import { activationByName } from '../engine/activations.js';
import type { Dataset } from '../engine/data.js';
import { useTfjs, tfjsMatMul, tfjsTrainStep } from './tfjs.js';

/**
 * One prepared task: `run` is one timed call. GPU tasks with timestamps hand tinybench the GPU time
 * ({ overriddenDuration }) and keep each call's wall time in `wallMs`.
 */
export interface TaskWork {
  run: () => void | Promise<void | { overriddenDuration: number }>;
  dispose: () => void;
  wallMs?: number[];
  /** the loss the last call read back (layered-model tasks) */
  loss?: number;
}

export interface BenchTask {
  task: 'gemm' | 'train-step' | 'peak' | 'sweep' | 'conv-forward' | 'conv' | 'cnn-step' | 'transformer-step';
  impl: string;
  /** the kernel variant a WebGPU implementation runs (e.g. "tiled", "large-blocks") */
  variant?: string;
  /** where the work runs: "cpu", "cpu (SwiftShader WebGPU: …)" or "gpu (…)" */
  device: string;
  size: string;
  /** floating-point operations per call (0 where a count means nothing, e.g. a sweep) */
  flops: number;
  /** training steps per call; rows report time per step */
  stepsPerCall?: number;
  /** runs per call (sweeps); rows report runs per second */
  runsPerCall?: number;
  /** exactly this many timed calls and no warm-up (sweeps: one call is minutes) */
  minIterations?: number;
  prepare(): Promise<TaskWork>;
}

const GEMM_SIZES = [64, 128, 256, 512];
const STEP_WIDTHS = [1000, 4000];
const STEP_SAMPLES = 100;
/** Sizes of the wasm-simd step rows beside the WebGPU ones (issue 3's grid). */
const WIDE_STEP_SIZES: [number, number][] = [
  [100, 16000],
  [1000, 1000],
  [1000, 4000],
  [1000, 16000],
];
export const STEP_INPUT_DIM = 100;
const PEAK_ITERS = 2_000_000;

function wasmGemm(w: WasmInstance, kernels: F32Kernels, n: number) {
  const { heap } = w;
  const mark = heap.mark();
  const A = heap.allocF32(n * n),
    B = heap.allocF32(n * n),
    C = heap.allocF32(n * n);
  const work = heap.alloc(w.kernels.gemm_workspace_bytes());
  w.kernels.philox_uniform(A, n * n, 1, 0, 0, 0);
  w.kernels.philox_uniform(B, n * n, 1, 0, 1, 0);
  return { run: () => kernels.gemm_nn(n, n, n, A, n, B, n, C, n, work), dispose: () => heap.release(mark) };
}

/** Random step data: x ~ U[−1, 1)^d with the bias column, y ~ U[−1, 1). */
export function stepData(w: WasmInstance, n: number, d: number): Dataset {
  const u = uniformInputs(w, n * d + n, 7);
  const x = new Float32Array(n * (d + 1));
  for (let i = 0; i < n; i++) {
    x.set(u.subarray(i * d, (i + 1) * d), i * (d + 1));
    x[i * (d + 1) + d] = 1;
  }
  return { n, d, x, y: u.slice(n * d), name: 'bench' };
}

export const stepFlops = (n: number, D: number, m: number) => 4 * n * m * D + 4 * n * m;

function wasmStep(w: WasmInstance, m: number, n = STEP_SAMPLES) {
  const { heap, kernels: k } = w;
  const data = stepData(w, n, STEP_INPUT_DIM);
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

export function benchTasks(w: WasmInstance): BenchTask[] {
  const reference = createReferenceKernels(w.heap);
  const tasks: BenchTask[] = [
    {
      task: 'peak',
      impl: 'wasm-simd',
      device: 'cpu',
      size: `f32x4 mul+add ×12 chains, ${PEAK_ITERS} iters`,
      flops: 96 * PEAK_ITERS,
      prepare: async () => ({ run: () => void w.kernels.peak_f32x4(PEAK_ITERS), dispose: () => {} }),
    },
  ];
  for (const n of GEMM_SIZES) {
    const flops = 2 * n ** 3,
      size = `n=${n}`;
    tasks.push(
      { task: 'gemm', impl: 'wasm-simd', device: 'cpu', size, flops, prepare: async () => wasmGemm(w, w.kernels, n) },
      { task: 'gemm', impl: 'reference-scalar', device: 'cpu', size, flops, prepare: async () => wasmGemm(w, reference, n) },
      { task: 'gemm', impl: 'tfjs-wasm', device: 'cpu', size, flops, prepare: async () => (await useTfjs('wasm'), tfjsMatMul(n)) },
      { task: 'gemm', impl: 'tfjs-cpu', device: 'cpu', size, flops, prepare: async () => (await useTfjs('cpu'), tfjsMatMul(n)) },
    );
  }
  for (const m of STEP_WIDTHS) {
    const n = STEP_SAMPLES,
      D = STEP_INPUT_DIM + 1,
      size = `m=${m},n=${n},d=${STEP_INPUT_DIM}`,
      flops = stepFlops(n, D, m);
    tasks.push(
      { task: 'train-step', impl: 'wasm-simd', device: 'cpu', size, flops, prepare: async () => wasmStep(w, m) },
      {
        task: 'train-step',
        impl: 'tfjs-wasm',
        device: 'cpu',
        size,
        flops,
        prepare: async () => {
          await useTfjs('wasm');
          const data = stepData(w, n, STEP_INPUT_DIM);
          return tfjsTrainStep(data.x, data.y, n, D, m, m, 1e-3);
        },
      },
    );
  }
  for (const [n, m] of WIDE_STEP_SIZES) {
    const size = `m=${m},n=${n},d=${STEP_INPUT_DIM}`;
    tasks.push({
      task: 'train-step',
      impl: 'wasm-simd',
      device: 'cpu',
      size,
      flops: stepFlops(n, STEP_INPUT_DIM + 1, m),
      prepare: async () => wasmStep(w, m, n),
    });
  }
  return tasks;
}
