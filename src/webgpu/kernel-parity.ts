// Kernel parity, declared as data (in the manner of the WebGPU CTS): every WGSL kernel × shape runs
// on a WebGPU device and is compared with its WASM twin under the tolerance declared beside the
// WGSL source. Each case reports the worst error as a fraction of its budget; the same table runs
// in Node (Dawn) and in a Chromium page.
import type { WasmInstance } from '../wasm/load.js';
import type { GpuContext } from './device.js';
import { uniformInputs as data } from '../wasm/inputs.js';
import { pipeline, storage, uniform, bindGroup, runDispatches, readF32 } from './gpu.js';
import { measureParity, type Tolerance, type ParityMeasure } from './tolerance.js';
import { gemvNWgsl, gemvGroups, GEMV_T_WGSL, GEMM_TOLERANCE, type KernelVariant } from './kernels/gemm.js';
import { gemmWgsl, gemmGroups, gemmWords, gemm_nn, type GemmForm } from '../kernels/gemm.js';
import { KERNELS } from '../kernels/index.js';
import { compareCase, parityCases } from '../kernels/parity-cases.js';
import { cpuBackend, webgpuBackend } from '../kernels/backends.js';
import {
  HIDDEN_GRAD_WGSL,
  GD_STEP_WGSL,
  ADAM_STEP_WGSL,
  DROPOUT_MASK_WGSL,
  SAMPLE_WEIGHTS_WGSL,
  ELEMENTWISE_TOLERANCE,
  UPDATE_CARRY,
} from './kernels/elementwise.js';
import { encodeRun, encodeRunState, RUN_STATE, type RunFields } from './kernels/common.js';
import type { Compared, Env, KernelCase } from './kernel-case.js';
import { STREAM } from '../engine/streams.js';

export interface KernelParityRow extends ParityMeasure {
  kernel: string;
  case: string;
  tolerance: Tolerance['kind'];
  pass: boolean;
}

/** One dispatch: binding 0 = uniform words, then storage buffers (arrays, or float counts for outputs). */
async function gpu(
  ctx: GpuContext,
  code: string,
  entry: string,
  words: number[],
  bufs: (ArrayBufferView | number)[],
  groups: [number, number, number],
): Promise<GPUBuffer[]> {
  const p = await pipeline(ctx, code, entry);
  const made = bufs.map((b, i) => storage(ctx, typeof b === 'number' ? b * 4 : b, `${entry}.${i}`));
  await runDispatches(ctx, [{ pipeline: p, bind: bindGroup(ctx, p, [uniform(ctx, words, 'dims'), ...made]), groups }]);
  return made;
}

/** A Run record with the given scalars (the rest as a GD run without stop rules would have). */
function runRecord(fields: Partial<RunFields>): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    encodeRun({
      invAlpha: 1,
      gradScale: 1,
      lr: 0,
      keep: 1,
      seed: 0,
      lossTol: 0,
      lossRatio: 0,
      maxSteps: 0,
      halve: false,
      b1: 0.9,
      b2: 0.999,
      eps: 1e-8,
      ...fields,
    }),
  );
}
const stateRecord = (steps: number, b1t = 1, b2t = 1) => encodeRunState(RUN_STATE.running, steps, b1t, b2t);

function gemmCase(form: GemmForm, variant: KernelVariant, [M, N, K]: [number, number, number]): KernelCase {
  return {
    kernel: `gemm_${form} (${variant})`,
    case: `${M}×${N}×${K}`,
    async run({ ctx, wasm: w, work }) {
      const a = data(w, M * K, 1),
        b = data(w, K * N, 2);
      const lda = form === 'tn' ? M : K,
        ldb = form === 'nt' ? K : N;
      const mark = w.heap.mark();
      const [A, B, C] = [w.heap.putF32(a), w.heap.putF32(b), w.heap.allocF32(M * N)];
      w.kernels[`gemm_${form}`](M, N, K, A, lda, B, ldb, C, N, work);
      const want = w.heap.viewF32(C, M * N).slice();
      w.heap.release(mark);
      const scale = new Float64Array(M * N);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += Math.abs((form === 'tn' ? a[k * lda + i] : a[i * lda + k]) * (form === 'nt' ? b[j * ldb + k] : b[k * ldb + j]));
          scale[i * N + j] = K * s;
        }
      const out = await gpu(
        ctx,
        gemmWgsl(form, variant),
        `gemm_${form}`,
        gemmWords({ M, N, K, batch: 1, lda, ldb, ldc: N, strideA: 0, strideB: 0, strideC: 0 }),
        [a, b, M * N],
        gemmGroups(variant, M, N, 1),
      );
      return [{ name: 'C', tol: GEMM_TOLERANCE, got: await readF32(ctx, out[2], M * N), want, scale }];
    },
  };
}

function gemvCase(rows: number, cols: number): KernelCase {
  return {
    kernel: 'gemv_n, gemv_t',
    case: `${rows}×${cols}`,
    async run({ ctx, wasm: w }) {
      const h = data(w, rows * cols, 3),
        x = data(w, cols, 4),
        e = data(w, rows, 5);
      const mark = w.heap.mark();
      const [H, X, E, Y, G] = [w.heap.putF32(h), w.heap.putF32(x), w.heap.putF32(e), w.heap.allocF32(rows), w.heap.allocF32(cols)];
      w.kernels.gemv_n(rows, cols, H, cols, X, Y, 0.5);
      w.kernels.gemv_t(rows, cols, H, cols, E, G, 0.25);
      const wantN = w.heap.viewF32(Y, rows).slice(),
        wantT = w.heap.viewF32(G, cols).slice();
      w.heap.release(mark);
      const run = runRecord({ invAlpha: 0.5, gradScale: 0.25 });
      const dotN = Float64Array.from(
        { length: rows },
        (_, i) => cols * h.subarray(i * cols, (i + 1) * cols).reduce((s, v, k) => s + Math.abs(v * x[k]), 0) * 0.5,
      );
      const dotT = Float64Array.from({ length: cols }, (_, k) => {
        let s = 0;
        for (let i = 0; i < rows; i++) s += Math.abs(h[i * cols + k] * e[i]);
        return rows * s * 0.25;
      });
      const res: Compared[] = [];
      for (const variant of ['direct', 'tiled'] as KernelVariant[]) {
        const out = await gpu(ctx, gemvNWgsl(variant), 'gemv_n', [1, rows, cols, 0], [run, h, x, rows], gemvGroups(variant, rows));
        res.push({ name: `gemv_n (${variant})`, tol: GEMM_TOLERANCE, got: await readF32(ctx, out[3], rows), want: wantN, scale: dotN });
      }
      const out = await gpu(ctx, GEMV_T_WGSL, 'gemv_t', [1, rows, cols, 0], [run, h, e, cols], [Math.ceil(cols / 256), 1, 1]);
      res.push({ name: 'gemv_t', tol: GEMM_TOLERANCE, got: await readF32(ctx, out[3], cols), want: wantT, scale: dotT });
      return res;
    },
  };
}

/** The two-layer engine's hidden-layer gradient, batched over runs (one run here). */
const HIDDEN_GRAD_CASE: KernelCase = {
  kernel: 'hidden_grad',
  case: 'n=37, m=253',
  async run({ ctx, wasm: w }) {
    const n = 37,
      m = 253;
    const e = data(w, n, 10),
      a = data(w, m, 11),
      s = data(w, n * m, 12);
    const mark = w.heap.mark();
    const [E, A, S, G] = [w.heap.putF32(e), w.heap.putF32(a), w.heap.putF32(s), w.heap.allocF32(n * m)];
    w.kernels.hidden_grad(n, m, E, A, S, G, 0.01);
    const want = w.heap.viewF32(G, n * m).slice();
    w.heap.release(mark);
    const hg = await gpu(
      ctx,
      HIDDEN_GRAD_WGSL,
      'hidden_grad',
      [1, n, m, 0],
      [runRecord({ gradScale: 0.01 }), e, a, s, n * m],
      [Math.ceil((n * m) / 256), 1, 1],
    );
    return [{ name: 'dW', tol: ELEMENTWISE_TOLERANCE.hidden_grad, got: await readF32(ctx, hg[4], n * m), want }];
  },
};

const OPTIMISER_CASE: KernelCase = {
  kernel: 'gd_step, adam_step',
  case: 'n=1003, Adam 3 steps',
  async run({ ctx, wasm: w }) {
    const n = 1003;
    const p0 = data(w, n, 15),
      g = data(w, n, 16);
    const mark = w.heap.mark();
    const [P, Q, Gp, Mo, Ve] = [w.heap.putF32(p0), w.heap.putF32(p0), w.heap.putF32(g), w.heap.allocF32(n), w.heap.allocF32(n)];
    w.kernels.gd_step(n, P, Gp, 0.05);
    const gd = await gpu(ctx, GD_STEP_WGSL, 'gd_step', [n, n, 0, 0], [runRecord({ lr: 0.05 }), stateRecord(1), p0, g], [Math.ceil(n / 256), 1, 1]);
    const bufs = [runRecord({ lr: 1e-3 }), stateRecord(1), p0, g, n, n].map((b, i) => storage(ctx, typeof b === 'number' ? b * 4 : b, `adam.${i}`));
    const p = await pipeline(ctx, ADAM_STEP_WGSL, 'adam_step');
    let b1t = 1,
      b2t = 1;
    for (let step = 1; step <= 3; step++) {
      b1t = Math.fround(b1t * Math.fround(0.9));
      b2t = Math.fround(b2t * Math.fround(0.999));
      w.kernels.adam_step(n, Q, Gp, Mo, Ve, 1e-3, 0.9, 0.999, 1e-8, Math.fround(1 - b1t), Math.fround(1 - b2t));
      ctx.device.queue.writeBuffer(bufs[1], 0, stateRecord(step, b1t, b2t));
      await runDispatches(ctx, [{ pipeline: p, bind: bindGroup(ctx, p, [uniform(ctx, [n, n, 0, 0], 'dims'), ...bufs]), groups: [Math.ceil(n / 256), 1, 1] }]);
    }
    const wantP = w.heap.viewF32(P, n).slice(),
      wantQ = w.heap.viewF32(Q, n).slice();
    w.heap.release(mark);
    return [
      // Σ over the steps of |lr·u| is |p − p0|: g is the same every step, so u keeps its sign
      {
        name: 'gd_step',
        tol: ELEMENTWISE_TOLERANCE.gd_step,
        got: await readF32(ctx, gd[2], n),
        want: wantP,
        scale: Float64Array.from(wantP, (v, i) => UPDATE_CARRY.gd_step * Math.abs(v - p0[i])),
      },
      {
        name: 'adam_step',
        tol: ELEMENTWISE_TOLERANCE.adam_step,
        got: await readF32(ctx, bufs[2], n),
        want: wantQ,
        scale: Float64Array.from(wantQ, (v, i) => UPDATE_CARRY.adam_step * Math.abs(v - p0[i])),
      },
    ];
  },
};

const DROPOUT_CASE: KernelCase = {
  kernel: 'dropout_mask',
  case: 'n=10007, keep 0.8',
  async run({ ctx, wasm: w }) {
    const n = 10_007,
      keep = 0.8;
    const mark = w.heap.mark();
    const M = w.heap.allocF32(n);
    w.kernels.dropout_mask(M, n, keep, 42, 0, 4, 17);
    const want = w.heap.viewF32(M, n).slice();
    w.heap.release(mark);
    const out = await gpu(
      ctx,
      DROPOUT_MASK_WGSL,
      'dropout_mask',
      [n, n, 0, 0],
      [runRecord({ keep, seed: 42 }), stateRecord(17), n],
      [Math.ceil(n / 256), 1, 1],
    );
    return [{ name: 'mask', tol: ELEMENTWISE_TOLERANCE.dropout_mask, got: await readF32(ctx, out[2], n), want }];
  },
};

/** sgd's batch weights of one step for two runs (two batch sizes, one of them above n). */
const SAMPLE_WEIGHTS_CASE: KernelCase = {
  kernel: 'sample_weights',
  case: 'n=23, batch 2 and 50',
  async run({ ctx, wasm: w }) {
    const n = 23,
      batches = [2, 50],
      step = 31;
    const mark = w.heap.mark();
    const want = new Float32Array(2 * n);
    batches.forEach((b, r) => {
      const out = w.heap.allocF32(n);
      w.kernels.sample_weights(out, n, b, Math.fround(n / b), 42 + r, 0, STREAM.sgd, step);
      want.set(w.heap.viewF32(out, n), r * n);
    });
    w.heap.release(mark);
    const runs = new Uint8Array(batches.flatMap((b, r) => [...runRecord({ seed: 42 + r, sgd: { batch: b, scale: Math.fround(n / b) } })]));
    const out = await gpu(
      ctx,
      SAMPLE_WEIGHTS_WGSL,
      'sample_weights',
      [2 * n, n, 0, 0],
      [runs, new Uint8Array([...stateRecord(step), ...stateRecord(step)]), 2 * n],
      [1, 1, 1],
    );
    return [{ name: 'weights', tol: ELEMENTWISE_TOLERANCE.sample_weights, got: await readF32(ctx, out[2], 2 * n), want }];
  },
};

export const KERNEL_CASES: KernelCase[] = [
  ...(['nn', 'tn', 'nt'] as GemmForm[]).flatMap((form) =>
    (['direct', 'tiled'] as KernelVariant[]).flatMap((v) => gemm_nn.cases.map((c) => gemmCase(form, v, [c.args.M, c.args.N, c.args.K]))),
  ),
  ...[
    [3, 7],
    [4, 250],
    [100, 1001],
    [2, 4099],
  ].map(([r, c]) => gemvCase(r, c)),
  HIDDEN_GRAD_CASE,
  OPTIMISER_CASE,
  DROPOUT_CASE,
  SAMPLE_WEIGHTS_CASE,
  // every case of every kernel a training program calls, on the program executors training uses
  ...parityCases(Object.values(KERNELS)).map(({ def, c }): KernelCase => ({
    kernel: def.name,
    case: c.label,
    run: ({ ctx, wasm }) =>
      compareCase(def, c, (size, stream, lo, hi) => data(wasm, size, stream, lo, hi), cpuBackend('wasm', wasm.heap, wasm.kernels), webgpuBackend(ctx)),
  })),
];

/** Run every kernel case (or those whose kernel name contains `filter`) and measure each output. */
export async function kernelParity(ctx: GpuContext, wasm: WasmInstance, filter?: string): Promise<KernelParityRow[]> {
  const mark = wasm.heap.mark();
  const env: Env = { ctx, wasm, work: wasm.heap.alloc(wasm.kernels.gemm_workspace_bytes()) };
  const rows: KernelParityRow[] = [];
  try {
    for (const c of KERNEL_CASES.filter((k) => !filter || k.kernel.includes(filter))) {
      for (const r of await c.run(env)) {
        const m = measureParity(r.tol, r.got, r.want, r.scale);
        rows.push({ kernel: `${c.kernel} · ${r.name}`, case: c.case, tolerance: r.tol.kind, ...m, pass: m.worstRatio <= 1 });
      }
    }
  } finally {
    wasm.heap.release(mark);
  }
  return rows;
}
