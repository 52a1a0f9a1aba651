// Kernel parity, declared as data (in the manner of the WebGPU CTS): every WGSL kernel × shape runs
// on a WebGPU device and is compared with its WASM twin under the tolerance declared beside the
// WGSL source. Each case reports the worst error as a fraction of its budget; the same table runs
// in Node (Dawn) and in a Chromium page.
import type { WasmInstance } from '../wasm/load.js';
import type { GpuContext } from './device.js';
import { uniformInputs as data } from '../wasm/inputs.js';
import { pipeline, storage, uniform, bindGroup, runDispatches, readF32, grid } from './gpu.js';
import { measureParity, type Tolerance, type ParityMeasure } from './tolerance.js';
import { gemmWgsl, gemmGroups, gemvNWgsl, gemvGroups, GEMV_T_WGSL, GEMM_TOLERANCE, type GemmForm, type KernelVariant } from './kernels/gemm.js';
import { actForwardWgsl, ACT_FORWARD_TOLERANCE, derivativeCarry } from './kernels/activation.js';
import {
  MSE_RESIDUAL_WGSL,
  HIDDEN_GRAD_WGSL,
  MUL_INPLACE_WGSL,
  GD_STEP_WGSL,
  ADAM_STEP_WGSL,
  DROPOUT_MASK_WGSL,
  ELEMENTWISE_TOLERANCE,
  UPDATE_CARRY,
} from './kernels/elementwise.js';
import { ACTIVATIONS } from '../engine/activations.js';
import { encodeRun, encodeRunState, RUN_STATE, type RunFields } from './kernels/common.js';
import { LAYERED_KERNEL_CASES } from './layered-kernel-cases.js';
import type { Compared, Env, KernelCase } from './kernel-case.js';
import { scaleToWgsl, MAXPOOL_FORWARD_WGSL, LAYER_TOLERANCE } from './kernels/layers.js';

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

const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 9, 7],
  [4, 250, 2],
  [67, 130, 45],
  [100, 300, 101],
];

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
        [M, N, K, 1, lda, ldb, N, 0, 0, 0, 0, 0],
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

function actCase(kind: number, name: string): KernelCase {
  return {
    kernel: `act_forward ${name}`,
    case: '4099 values in [−6, 6) and specials',
    async run({ ctx, wasm: w }) {
      const n = 4099;
      const z = data(w, n, 6 + kind, -6, 6);
      z.set([0, -0, 1e-7, -1e-7, 1e-30, 9, -9, 30, -30].map(Math.fround));
      const mark = w.heap.mark();
      const [Z, H, S] = [w.heap.putF32(z), w.heap.allocF32(n), w.heap.allocF32(n)];
      w.kernels.act_forward(kind, n, Z, H, S);
      const wantH = w.heap.viewF32(H, n).slice(),
        wantS = w.heap.viewF32(S, n).slice();
      w.heap.release(mark);
      const out = await gpu(ctx, actForwardWgsl(kind), 'act_forward', [n, 1, 0, 0], [z, n, n], [Math.ceil(n / 256), 1, 1]);
      return [
        { name: 'σ', tol: ACT_FORWARD_TOLERANCE, got: await readF32(ctx, out[1], n), want: wantH },
        {
          name: "σ'",
          tol: ACT_FORWARD_TOLERANCE,
          got: await readF32(ctx, out[2], n),
          want: wantS,
          scale: Float64Array.from(z, (x) => derivativeCarry(kind, x)),
        },
      ];
    },
  };
}

const ELEMENTWISE_CASE: KernelCase = {
  kernel: 'hidden_grad, mul_inplace, mse_residual',
  case: 'n=37, m=253',
  async run({ ctx, wasm: w }) {
    const n = 37,
      m = 253;
    const e = data(w, n, 10),
      a = data(w, m, 11),
      s = data(w, n * m, 12),
      f = data(w, n, 13),
      y = data(w, n, 14);
    const mark = w.heap.mark();
    const [E, A, S, G, X, F, Y, R] = [
      w.heap.putF32(e),
      w.heap.putF32(a),
      w.heap.putF32(s),
      w.heap.allocF32(n * m),
      w.heap.putF32(s),
      w.heap.putF32(f),
      w.heap.putF32(y),
      w.heap.allocF32(n),
    ];
    w.kernels.hidden_grad(n, m, E, A, S, G, 0.01);
    w.kernels.mul_inplace(n * m, X, S);
    const loss = w.kernels.mse_residual(n, F, Y, R);
    const wantG = w.heap.viewF32(G, n * m).slice(),
      wantX = w.heap.viewF32(X, n * m).slice(),
      wantR = w.heap.viewF32(R, n).slice();
    w.heap.release(mark);
    const hg = await gpu(
      ctx,
      HIDDEN_GRAD_WGSL,
      'hidden_grad',
      [1, n, m, 0],
      [runRecord({ gradScale: 0.01 }), e, a, s, n * m],
      [Math.ceil((n * m) / 256), 1, 1],
    );
    const mul = await gpu(ctx, MUL_INPLACE_WGSL, 'mul_inplace', [n * m, n * m, 0, 0], [s, s], [Math.ceil((n * m) / 256), 1, 1]);
    const mse = await gpu(ctx, MSE_RESIDUAL_WGSL, 'mse_residual', [1, n, 0, 0], [f, y, n, 1], [1, 1, 1]);
    return [
      { name: 'hidden_grad', tol: ELEMENTWISE_TOLERANCE.hidden_grad, got: await readF32(ctx, hg[4], n * m), want: wantG },
      { name: 'mul_inplace', tol: ELEMENTWISE_TOLERANCE.mul_inplace, got: await readF32(ctx, mul[0], n * m), want: wantX },
      { name: 'mse_residual e', tol: ELEMENTWISE_TOLERANCE.hidden_grad, got: await readF32(ctx, mse[2], n), want: wantR },
      {
        name: 'mse_residual R',
        tol: ELEMENTWISE_TOLERANCE.mse_residual,
        got: await readF32(ctx, mse[3], 1),
        want: Float32Array.of(loss),
        scale: Float64Array.of(wantR.reduce((q, v) => q + v * v, 0) * 0.5),
      },
    ];
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

const f32Bits = (x: number) => new Uint32Array(Float32Array.of(x).buffer)[0];

/** A flat kernel over more than 65535·256 elements: the dispatch needs a second row of workgroups. */
const MANY_WORKGROUPS_CASE: KernelCase = {
  kernel: 'scale_to',
  case: 'n = 65535·256 + 257 (two rows of workgroups)',
  async run({ ctx, wasm: w }) {
    const n = 65535 * 256 + 257,
      c = 0.3;
    const x = data(w, n, 39);
    const mark = w.heap.mark();
    const [X, Y] = [w.heap.putF32(x), w.heap.allocF32(n)];
    w.kernels.scale_to(n, X, c, Y);
    const want = w.heap.viewF32(Y, n).slice();
    w.heap.release(mark);
    const out = await gpu(ctx, scaleToWgsl(false), 'scale_to', [n, f32Bits(c), 0, 0], [x, n], [...grid(Math.ceil(n / 256)), 1]);
    return [{ name: 'y', tol: LAYER_TOLERANCE.scale_to, got: await readF32(ctx, out[1], n), want }];
  },
};

/** Max pooling where windows hold their maximum more than once: both forms take the first, by a strict >. */
const MAXPOOL_TIES_CASE: KernelCase = {
  kernel: 'maxpool_forward',
  case: 'n=2 3×9×7 s=3, values on a grid of ½ (ties)',
  async run({ ctx, wasm: w }) {
    const [n, H, W, C, s] = [2, 9, 7, 3, 3],
      Ho = Math.floor(H / s),
      Wo = Math.floor(W / s),
      outs = n * Ho * Wo * C;
    const x = data(w, n * H * W * C, 40).map((v) => Math.floor(v * 2) / 2);
    const mark = w.heap.mark();
    const [X, Y, I] = [w.heap.putF32(x), w.heap.allocF32(outs), w.heap.allocF32(outs)];
    w.kernels.maxpool_forward(n, H, W, C, s, X, Y, I);
    const wantY = w.heap.viewF32(Y, outs).slice(),
      wantI = w.heap.viewF32(I, outs).slice();
    w.heap.release(mark);
    const out = await gpu(
      ctx,
      MAXPOOL_FORWARD_WGSL,
      'maxpool_forward',
      [n, H, W, C, s, Ho, Wo, f32Bits(1 / (s * s))],
      [x, outs, outs],
      [...grid(Math.ceil(outs / 256)), 1],
    );
    const tol = LAYER_TOLERANCE.maxpool_forward;
    return [
      { name: 'y', tol, got: await readF32(ctx, out[1], outs), want: wantY },
      { name: 'idx (u32 bits)', tol, got: await readF32(ctx, out[2], outs), want: wantI },
    ];
  },
};

export const KERNEL_CASES: KernelCase[] = [
  ...(['nn', 'tn', 'nt'] as GemmForm[]).flatMap((form) =>
    (['direct', 'tiled'] as KernelVariant[]).flatMap((v) => GEMM_SHAPES.map((s) => gemmCase(form, v, s))),
  ),
  ...[
    [3, 7],
    [4, 250],
    [100, 1001],
    [2, 4099],
  ].map(([r, c]) => gemvCase(r, c)),
  ...ACTIVATIONS.map((a) => actCase(a.kind, a.name)),
  ELEMENTWISE_CASE,
  OPTIMISER_CASE,
  DROPOUT_CASE,
  ...LAYERED_KERNEL_CASES,
  MANY_WORKGROUPS_CASE,
  MAXPOOL_TIES_CASE,
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
