// Kernel parity, GPU against the WASM truth: every WGSL kernel × shape runs on WebGPU (Dawn in
// Node; SwiftShader unless CONDENSA_ADAPTER=gpu) and is compared with the WASM kernel under the
// tolerance declared beside the WGSL source. The worst error as a fraction of its budget is
// printed per kernel (the parity table of the report).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadTwins, uniformData, type Twins } from './support.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { GpuContext, AdapterWish } from '../src/webgpu/device.js';
import { pipeline, storage, uniform, bindGroup, runDispatches, readF32 } from '../src/webgpu/gpu.js';
import { measureParity, type Tolerance } from '../src/webgpu/tolerance.js';
import { gemmWgsl, gemmGroups, gemvNWgsl, gemvGroups, GEMV_T_WGSL, GEMM_TOLERANCE, type GemmForm, type KernelVariant } from '../src/webgpu/kernels/gemm.js';
import { ACT_FORWARD_WGSL, ACT_FORWARD_TOLERANCE } from '../src/webgpu/kernels/activation.js';
import { MSE_RESIDUAL_WGSL, HIDDEN_GRAD_WGSL, MUL_INPLACE_WGSL, GD_STEP_WGSL, ADAM_STEP_WGSL, DROPOUT_MASK_WGSL, ELEMENTWISE_TOLERANCE } from '../src/webgpu/kernels/elementwise.js';
import { ACTIVATIONS } from '../src/engine/activations.js';

let t: Twins;
let ctx: GpuContext;
const table: string[] = [];
beforeAll(async () => {
  t = await loadTwins();
  ctx = await openNodeDevice((process.env.CONDENSA_ADAPTER as AdapterWish) ?? 'swiftshader');
});
afterAll(() => {
  console.log(`kernel parity on ${ctx.adapter.description || ctx.adapter.architecture} (worst |Δ| / budget):\n${table.join('\n')}`);
  ctx.device.destroy();
});

/** One dispatch: binding 0 = uniform words, then storage buffers (arrays, or float counts for outputs). */
async function gpu(code: string, entry: string, words: number[], bufs: (ArrayBufferView | number)[], groups: [number, number, number]): Promise<GPUBuffer[]> {
  const p = pipeline(ctx, code, entry);
  const made = bufs.map((b, i) => storage(ctx, typeof b === 'number' ? b * 4 : b, `b${i}`));
  await runDispatches(ctx, [{ pipeline: p, bind: bindGroup(ctx, p, [uniform(ctx, words, 'dims'), ...made]), groups }]);
  return made;
}

function check(name: string, tol: Tolerance, got: Float32Array, want: Float32Array, dotScale?: Float64Array) {
  const m = measureParity(tol, got, want, dotScale);
  table.push(`  ${name.padEnd(44)} ${m.worstRatio.toFixed(3).padStart(7)}  (exact ${(100 * m.exactFraction).toFixed(1)} %, max |Δ| ${m.maxAbsError.toExponential(2)})`);
  expect(m.worstRatio, `${name}: element ${m.worstIndex} got ${got[m.worstIndex]} want ${want[m.worstIndex]}`).toBeLessThanOrEqual(1);
}

/** A Run record (kernels/common.ts layout) with the given scalars. */
function runRecord(fields: { invAlpha?: number; gradScale?: number; lr?: number; keep?: number; seed?: number; b1?: number; b2?: number; eps?: number }): Uint8Array {
  const b = new ArrayBuffer(64), fv = new Float32Array(b), uv = new Uint32Array(b);
  fv[0] = fields.invAlpha ?? 1; fv[1] = fields.gradScale ?? 1; fv[2] = fields.lr ?? 0; fv[3] = fields.keep ?? 1;
  uv[4] = fields.seed ?? 0; fv[9] = fields.b1 ?? 0.9; fv[10] = fields.b2 ?? 0.999; fv[11] = fields.eps ?? 1e-8;
  fv[12] = Math.fround(1 / Math.fround(fields.keep ?? 1));
  return new Uint8Array(b);
}
function stateRecord(steps: number, b1t = 1, b2t = 1): Uint8Array {
  const b = new ArrayBuffer(32), uv = new Uint32Array(b), fv = new Float32Array(b);
  uv[0] = 0; uv[1] = steps; fv[4] = b1t; fv[5] = b2t;
  return new Uint8Array(b);
}

describe('GEMM parity', () => {
  const shapes: [number, number, number][] = [[1, 1, 1], [5, 9, 7], [4, 250, 2], [67, 130, 45], [100, 300, 101]];
  for (const form of ['nn', 'tn', 'nt'] as GemmForm[]) {
    for (const variant of ['direct', 'tiled'] as KernelVariant[]) {
      it.each(shapes)(`gemm_${form} ${variant} M=%i N=%i K=%i`, async (M, N, K) => {
        const a = uniformData(t, M * K, 1), b = uniformData(t, K * N, 2);
        const lda = form === 'tn' ? M : K, ldb = form === 'nt' ? K : N;
        const [A, B, C] = [t.heap.putF32(a), t.heap.putF32(b), t.heap.allocF32(M * N)];
        t.wasm[`gemm_${form}`](M, N, K, A, lda, B, ldb, C, N, t.work);
        const want = t.heap.viewF32(C, M * N).slice();
        const dot = new Float64Array(M * N);
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += Math.abs((form === 'tn' ? a[k * lda + i] : a[i * lda + k]) * (form === 'nt' ? b[j * ldb + k] : b[k * ldb + j]));
          dot[i * N + j] = K * s;
        }
        const out = await gpu(gemmWgsl(form, variant), `gemm_${form}`, [M, N, K, 1, lda, ldb, N, 0, 0, 0, 0, 0], [a, b, M * N], gemmGroups(variant, M, N, 1));
        check(`gemm_${form} ${variant} ${M}×${N}×${K}`, GEMM_TOLERANCE, await readF32(ctx, out[2], M * N), want, dot);
      });
    }
  }
});

describe('GEMV parity', () => {
  it.each([[3, 7], [4, 250], [100, 1001], [2, 4099]])('gemv_n (both variants) and gemv_t rows=%i cols=%i', async (rows, cols) => {
    const h = uniformData(t, rows * cols, 3), x = uniformData(t, cols, 4), e = uniformData(t, rows, 5);
    const [H, X, E, Y, G] = [t.heap.putF32(h), t.heap.putF32(x), t.heap.putF32(e), t.heap.allocF32(rows), t.heap.allocF32(cols)];
    t.wasm.gemv_n(rows, cols, H, cols, X, Y, 0.5);
    t.wasm.gemv_t(rows, cols, H, cols, E, G, 0.25);
    const wantN = t.heap.viewF32(Y, rows).slice(), wantT = t.heap.viewF32(G, cols).slice();
    const run = runRecord({ invAlpha: 0.5, gradScale: 0.25 });
    const dotN = Float64Array.from({ length: rows }, (_, i) => cols * h.subarray(i * cols, (i + 1) * cols).reduce((s, v, k) => s + Math.abs(v * x[k]), 0) * 0.5);
    for (const variant of ['direct', 'tiled'] as KernelVariant[]) {
      const out = await gpu(gemvNWgsl(variant), 'gemv_n', [1, rows, cols, 0], [run, h, x, rows], gemvGroups(variant, rows));
      check(`gemv_n ${variant} ${rows}×${cols}`, GEMM_TOLERANCE, await readF32(ctx, out[3], rows), wantN, dotN);
    }
    const dotT = Float64Array.from({ length: cols }, (_, k) => { let s = 0; for (let i = 0; i < rows; i++) s += Math.abs(h[i * cols + k] * e[i]); return rows * s * 0.25; });
    const out = await gpu(GEMV_T_WGSL, 'gemv_t', [1, rows, cols, 0], [run, h, e, cols], [Math.ceil(cols / 256), 1, 1]);
    check(`gemv_t ${rows}×${cols}`, GEMM_TOLERANCE, await readF32(ctx, out[3], cols), wantT, dotT);
  });
});

describe('elementwise parity', () => {
  for (const act of ACTIVATIONS) {
    it(`act_forward ${act.name}`, async () => {
      const n = 4099;
      const z = uniformData(t, n, 6 + act.kind, -6, 6);
      z.set([0, -0, 1e-7, -1e-7, 1e-30, 9, -9, 30, -30].map(Math.fround));
      const [Z, H, S] = [t.heap.putF32(z), t.heap.allocF32(n), t.heap.allocF32(n)];
      t.wasm.act_forward(act.kind, n, Z, H, S);
      const out = await gpu(ACT_FORWARD_WGSL, 'act_forward', [n, act.kind, 1, 0], [z, n, n], [Math.ceil(n / 256), 1, 1]);
      check(`act_forward ${act.name} σ`, ACT_FORWARD_TOLERANCE, await readF32(ctx, out[1], n), t.heap.viewF32(H, n).slice());
      check(`act_forward ${act.name} σ'`, ACT_FORWARD_TOLERANCE, await readF32(ctx, out[2], n), t.heap.viewF32(S, n).slice());
    });
  }

  it('hidden_grad, mul_inplace, mse_residual', async () => {
    const n = 37, m = 253;
    const e = uniformData(t, n, 10), a = uniformData(t, m, 11), s = uniformData(t, n * m, 12), f = uniformData(t, n, 13), y = uniformData(t, n, 14);
    const [E, A, S, G] = [t.heap.putF32(e), t.heap.putF32(a), t.heap.putF32(s), t.heap.allocF32(n * m)];
    t.wasm.hidden_grad(n, m, E, A, S, G, 0.01);
    let out = await gpu(HIDDEN_GRAD_WGSL, 'hidden_grad', [1, n, m, 0], [runRecord({ gradScale: 0.01 }), e, a, s, n * m], [Math.ceil((n * m) / 256), 1, 1]);
    check('hidden_grad', ELEMENTWISE_TOLERANCE.hidden_grad, await readF32(ctx, out[4], n * m), t.heap.viewF32(G, n * m).slice());
    const X = t.heap.putF32(s);
    t.wasm.mul_inplace(n * m, X, S);
    out = await gpu(MUL_INPLACE_WGSL, 'mul_inplace', [n * m, n * m, 0, 0], [s, s], [Math.ceil((n * m) / 256), 1, 1]);
    check('mul_inplace', ELEMENTWISE_TOLERANCE.mul_inplace, await readF32(ctx, out[0], n * m), t.heap.viewF32(X, n * m).slice());
    const [F, Y, R] = [t.heap.putF32(f), t.heap.putF32(y), t.heap.allocF32(n)];
    const loss = t.wasm.mse_residual(n, F, Y, R);
    out = await gpu(MSE_RESIDUAL_WGSL, 'mse_residual', [1, n, 0, 0], [f, y, n, 1], [1, 1, 1]);
    check('mse_residual e', ELEMENTWISE_TOLERANCE.hidden_grad, await readF32(ctx, out[2], n), t.heap.viewF32(R, n).slice());
    const r = t.heap.viewF32(R, n);
    check('mse_residual R', ELEMENTWISE_TOLERANCE.mse_residual, await readF32(ctx, out[3], 1), Float32Array.of(loss), Float64Array.of(n * r.reduce((q, v) => q + v * v, 0) * 0.5 / n));
  });

  it('gd_step and adam_step (3 steps)', async () => {
    const n = 1003;
    const p0 = uniformData(t, n, 15), g = uniformData(t, n, 16);
    const [P, Q, Gp, Mo, Ve] = [t.heap.putF32(p0), t.heap.putF32(p0), t.heap.putF32(g), t.heap.allocF32(n), t.heap.allocF32(n)];
    t.wasm.gd_step(n, P, Gp, 0.05);
    const out = await gpu(GD_STEP_WGSL, 'gd_step', [n, n, 0, 0], [runRecord({ lr: 0.05 }), stateRecord(1), p0, g], [Math.ceil(n / 256), 1, 1]);
    check('gd_step', ELEMENTWISE_TOLERANCE.gd_step, await readF32(ctx, out[2], n), t.heap.viewF32(P, n).slice());
    const bufs = [runRecord({ lr: 1e-3 }), stateRecord(1), p0, g, n, n].map((b, i) => storage(ctx, typeof b === 'number' ? b * 4 : b, `adam${i}`));
    const p = pipeline(ctx, ADAM_STEP_WGSL, 'adam_step');
    let b1t = 1, b2t = 1;
    for (let step = 1; step <= 3; step++) {
      b1t = Math.fround(b1t * Math.fround(0.9)); b2t = Math.fround(b2t * Math.fround(0.999));
      t.wasm.adam_step(n, Q, Gp, Mo, Ve, 1e-3, 0.9, 0.999, 1e-8, Math.fround(1 - b1t), Math.fround(1 - b2t));
      ctx.device.queue.writeBuffer(bufs[1], 0, stateRecord(step, b1t, b2t));
      await runDispatches(ctx, [{ pipeline: p, bind: bindGroup(ctx, p, [uniform(ctx, [n, n, 0, 0], 'dims'), ...bufs]), groups: [Math.ceil(n / 256), 1, 1] }]);
    }
    check('adam_step p', ELEMENTWISE_TOLERANCE.adam_step, await readF32(ctx, bufs[2], n), t.heap.viewF32(Q, n).slice());
  });

  it('dropout_mask is bit-identical (integer Philox)', async () => {
    const n = 10_007, keep = 0.8;
    const M = t.heap.allocF32(n);
    t.wasm.dropout_mask(M, n, keep, 42, 0, 4, 17);
    const out = await gpu(DROPOUT_MASK_WGSL, 'dropout_mask', [n, n, 0, 0], [runRecord({ keep, seed: 42 }), stateRecord(17), n], [Math.ceil(n / 256), 1, 1]);
    check('dropout_mask', ELEMENTWISE_TOLERANCE.dropout_mask, await readF32(ctx, out[2], n), t.heap.viewF32(M, n).slice());
  });
});
