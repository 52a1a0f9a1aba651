// The two-layer step's objectives beside full-batch R_S: the R1 penalty (r1Penalty, Zhang & Xu's explicit
// dropout regulariser) and sampled mini-batches (sgd). Their kernels (r1_hidden_grad, sample_weights) equal
// their references bit for bit and compute what they say; a run trains the same bits on WASM, the reference
// and WebGPU (SwiftShader, both forms that take them); bad combinations stop with a message.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadTwins, bitMismatches, describeMismatches, uniformData, type Twins } from './support.js';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { GpuContext } from '../src/webgpu/device.js';
import { createEngine } from '../src/engine/index.js';
import { trajectoryHash, type Trajectory } from '../src/engine/trajectory.js';
import { validateRunSpec } from '../src/engine/spec.js';

let t: Twins;
let w: WasmInstance, ctx: GpuContext;
beforeAll(async () => {
  t = await loadTwins();
  w = await loadWasm();
  ctx = await openNodeDevice('swiftshader');
});
afterAll(() => ctx?.device.destroy());

function expectSame(pw: number, pr: number, n: number, what: string) {
  const a = t.heap.viewF32(pw, n),
    b = t.heap.viewF32(pr, n);
  const bad = bitMismatches(a, b);
  expect(bad, `${what}:\n${describeMismatches(a, b, bad)}`).toEqual([]);
}

describe('r1_hidden_grad', () => {
  it.each([
    [1, 1],
    [4, 5],
    [7, 250],
    [20, 1003],
  ])('WASM equals the reference, n=%i m=%i', (n, m) => {
    const e = t.heap.putF32(uniformData(t, n, 3)),
      a = t.heap.putF32(uniformData(t, m, 4)),
      h = t.heap.putF32(uniformData(t, n * m, 5)),
      s = t.heap.putF32(uniformData(t, n * m, 6));
    const [gw, gr] = [t.heap.allocF32(n * m), t.heap.allocF32(n * m)],
      [aw, ar] = [t.heap.allocF32(m), t.heap.allocF32(m)];
    t.wasm.r1_hidden_grad(n, m, e, a, h, s, gw, aw, 0.01, 0.37);
    t.ref.r1_hidden_grad(n, m, e, a, h, s, gr, ar, 0.01, 0.37);
    expectSame(gw, gr, n * m, 'g');
    expectSame(aw, ar, m, 'ga');
  });

  it('with r = 0 it is gemv_t + hidden_grad, bit for bit', () => {
    const n = 9,
      m = 13;
    const e = t.heap.putF32(uniformData(t, n, 7)),
      a = t.heap.putF32(uniformData(t, m, 8)),
      h = t.heap.putF32(uniformData(t, n * m, 9)),
      s = t.heap.putF32(uniformData(t, n * m, 10));
    const g = t.heap.allocF32(n * m),
      ga = t.heap.allocF32(m),
      g0 = t.heap.allocF32(n * m),
      ga0 = t.heap.allocF32(m);
    t.wasm.r1_hidden_grad(n, m, e, a, h, s, g, ga, 0.25, 0);
    t.wasm.gemv_t(n, m, h, m, e, ga0, 0.25);
    t.wasm.hidden_grad(n, m, e, a, s, g0, 0.25);
    expectSame(g, g0, n * m, 'g');
    expectSame(ga, ga0, m, 'ga');
  });

  it('is the gradient of R_S + R1 (f64 finite differences of the objective)', () => {
    // one sample-free check of the formula: f = Σₖ aₖ tanh(wₖ·x̃), α = 1, R1 = (r/2n)·Σᵢₖ (aₖhᵢₖ)²
    const n = 5,
      m = 3,
      D = 2,
      r = 0.4;
    const x = [-1, -0.3, 0.2, 0.7, 1.3],
      y = [0.5, -0.2, 0.1, 0.9, -0.4];
    const a0 = [0.3, -0.6, 0.8],
      W0 = [0.5, -0.2, -0.7, 0.4, 0.9, 0.1];
    const objective = (a: number[], W: number[]) => {
      let rs = 0,
        r1 = 0;
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let k = 0; k < m; k++) {
          const hk = Math.tanh(W[k * D] * x[i] + W[k * D + 1]);
          f += a[k] * hk;
          r1 += (a[k] * hk) ** 2;
        }
        rs += (f - y[i]) ** 2;
      }
      return rs / (2 * n) + (r / (2 * n)) * r1;
    };
    // the kernel's inputs at (a0, W0): e, H, S = σ′
    const H: number[] = [],
      S: number[] = [],
      e: number[] = [];
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let k = 0; k < m; k++) {
        const hk = Math.tanh(W0[k * D] * x[i] + W0[k * D + 1]);
        H.push(hk);
        S.push(1 - hk * hk);
        f += a0[k] * hk;
      }
      e.push(f - y[i]);
    }
    const g = t.heap.allocF32(n * m),
      ga = t.heap.allocF32(m);
    t.wasm.r1_hidden_grad(n, m, t.heap.putF32(e), t.heap.putF32(a0), t.heap.putF32(H), t.heap.putF32(S), g, ga, 1 / n, r);
    const G = t.heap.viewF32(g, n * m),
      gA = t.heap.viewF32(ga, m);
    const step = 1e-6;
    for (let k = 0; k < m; k++) {
      const up = a0.map((v, j) => (j === k ? v + step : v)),
        down = a0.map((v, j) => (j === k ? v - step : v));
      expect(gA[k]).toBeCloseTo((objective(up, W0) - objective(down, W0)) / (2 * step), 5);
      for (let j = 0; j < D; j++) {
        // ∇wₖⱼ = Σᵢ Gᵢₖ x̃ᵢⱼ (the weight GEMM the engine runs next)
        const gw = Array.from({ length: n }, (_, i) => G[i * m + k] * (j === 0 ? x[i] : 1)).reduce((s, v) => s + v, 0);
        const Wu = W0.map((v, q) => (q === k * D + j ? v + step : v)),
          Wd = W0.map((v, q) => (q === k * D + j ? v - step : v));
        expect(gw).toBeCloseTo((objective(a0, Wu) - objective(a0, Wd)) / (2 * step), 5);
      }
    }
  });
});

describe('sample_weights', () => {
  it.each([
    [1, 1],
    [20, 2],
    [20, 7],
    [9, 40],
  ])('WASM equals the reference and weights count the draws, n=%i batch=%i', (n, batch) => {
    const scale = Math.fround(n / batch);
    const pw = t.heap.allocF32(n),
      pr = t.heap.allocF32(n);
    for (const step of [0, 1, 77]) {
      t.wasm.sample_weights(pw, n, batch, scale, 5, 0, 8, step);
      t.ref.sample_weights(pr, n, batch, scale, 5, 0, 8, step);
      expectSame(pw, pr, n, `step ${step}`);
      const counts = Array.from(t.heap.viewF32(pw, n), (v) => v / scale);
      for (const c of counts) expect(Number.isInteger(Math.round(c * 1e6) / 1e6)).toBe(true);
      expect(counts.reduce((s, c) => s + c, 0)).toBeCloseTo(batch, 5);
    }
  });

  it('draws every sample about equally often over many steps', () => {
    const n = 20,
      batch = 2,
      steps = 4000;
    const p = t.heap.allocF32(n);
    const hits = new Array(n).fill(0);
    for (let s = 0; s < steps; s++) {
      t.wasm.sample_weights(p, n, batch, 1, 3, 0, 8, s);
      t.heap.viewF32(p, n).forEach((c, i) => (hits[i] += c));
    }
    // each sample: Binomial(8000, 1/20), mean 400, sd ≈ 19.5: within 5 sd
    for (const h of hits) expect(Math.abs(h - 400)).toBeLessThan(100);
  });
});

const ONE_D = Array.from({ length: 20 }, (_, i) => -10 + (20 * i) / 19);
const base = {
  data: { x: ONE_D.map((v) => [v]), y: ONE_D.map((v) => Math.tanh(v - 6) + Math.tanh(v + 6)) },
  model: { width: 37, activation: 'tanh' },
  init: { alpha: 1, beta1: 0.3, beta2: 0.3 },
  optimizer: { kind: 'adam' },
  lr: 1e-3,
  stop: { maxSteps: 150 },
  snapshots: [70],
  seed: 4,
};
const R1_RUN = { ...base, r1Penalty: { keep: 0.9 } };
const SGD_RUN = { ...base, sgd: { batch: 2 }, seed: 5 };

describe('two-layer runs with an R1 penalty or sgd batches', () => {
  it('train the same bits on WASM, the reference and WebGPU (both step forms that take them)', async () => {
    const wasm = createEngine('wasm', w),
      ref = createEngine('reference', w),
      gpu = createEngine('webgpu', w, ctx);
    const specs = [R1_RUN, { ...R1_RUN, seed: 9, r1Penalty: { keep: 0.5 } }, SGD_RUN, { ...SGD_RUN, seed: 6, sgd: { batch: 7 } }];
    const truth = await Promise.all(specs.map(async (s) => trajectoryHash(await wasm.run(s))));
    expect(await Promise.all(specs.map(async (s) => trajectoryHash(await ref.run(s))))).toEqual(truth);
    for (const variant of ['large-blocks', 'small-blocks']) {
      process.env.CONDENSA_STEP_VARIANT = variant;
      try {
        const got = [...(await gpu.runBatch(specs.slice(0, 2))), ...(await gpu.runBatch(specs.slice(2)))];
        expect(await Promise.all(got.map((g) => trajectoryHash(g))), variant).toEqual(truth);
      } finally {
        delete process.env.CONDENSA_STEP_VARIANT;
      }
    }
  });

  it('change the trajectory (keep 1 is no penalty: the plain run, bit for bit)', async () => {
    const wasm = createEngine('wasm', w);
    const [plain, none, r1, sgd] = (await Promise.all(
      [base, { ...base, r1Penalty: { keep: 1 } }, R1_RUN, { ...SGD_RUN, seed: 4 }].map((s) => wasm.run(s)),
    )) as Trajectory[];
    expect(await trajectoryHash(none)).toBe(await trajectoryHash(plain));
    expect(await trajectoryHash(r1)).not.toBe(await trajectoryHash(plain));
    expect(await trajectoryHash(sgd)).not.toBe(await trajectoryHash(plain));
    // the recorded loss is R_S at every step: equal at step 0, before any update
    expect(r1.loss[0]).toBe(plain.loss[0]);
    expect(sgd.loss[0]).toBe(plain.loss[0]);
  });

  it('stop with a message on combinations the engine does not train', async () => {
    expect(() => validateRunSpec({ ...R1_RUN, dropout: { keep: 0.9 } })).toThrow(/r1Penalty.*cannot be combined with dropout/);
    expect(() => validateRunSpec({ ...SGD_RUN, lr: { value: 1e-3, halveOnIncrease: true } })).toThrow(/halveOnIncrease.*sgd/);
    expect(() => validateRunSpec({ ...SGD_RUN, sgd: { batch: 0 } })).toThrow(/sgd\.batch/);
    process.env.CONDENSA_STEP_VARIANT = 'fused';
    try {
      await expect(createEngine('webgpu', w, ctx).run(R1_RUN)).rejects.toThrow(/fused cannot train r1Penalty or sgd runs/);
    } finally {
      delete process.env.CONDENSA_STEP_VARIANT;
    }
  });
});
