// The fused two-layer step (src/webgpu/kernels/fused-*.ts) forced on SwiftShader: with factors 1 the
// WASM bits on a shape its vec4 loads take (d + 1 = 4, n and m not multiples of the tiles); with
// factors > 1 each reordered sum inside its dot budget K·2⁻²³·Σ|aₖbₖ| (src/webgpu/tolerance.ts), measured
// from the first step, where WASM and the fused step start from the same θ(0):
//   split 3: the weights after one GD step, W₁ = W₀ − lr·Σᵢ Gᵢₖxᵢⱼ, within lr·(n·Σᵢ|Gᵢₖxᵢⱼ| + |∇wₖⱼ|)·2⁻²³
//            (the sum's bound and the rounding of lr·∇w) plus one ulp, and a₁ likewise with c·Σᵢ|eᵢhᵢₖ|;
//   tree 64: R(0), from outputs folded into the forward tiles and the loss over 64 lanes, within the
//            loss sum's bound plus what each output's sum (m·Σₖ|aₖhᵢₖ|/α) carries into it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { GpuContext } from '../src/webgpu/device.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { trajectoryHash, twoLayer, type Trajectory, type AnyTrajectory } from '../src/engine/trajectory.js';
import { makeDataset } from '../src/engine/data.js';
import { measureParity } from '../src/webgpu/tolerance.js';

let w: WasmInstance, ctx: GpuContext, gpu: Engine, wasm: Engine;
beforeAll(async () => {
  w = await loadWasm();
  ctx = await openNodeDevice('swiftshader');
  gpu = createEngine('webgpu', w, ctx);
  wasm = createEngine('wasm', w);
});
afterAll(() => ctx?.device.destroy());

/** 70 inputs in R³ (d + 1 = 4: whole vec4 rows), a smooth target; 70 neurons: partial tiles everywhere. */
const xs = Array.from({ length: 70 }, (_, i) => [Math.sin(i), Math.cos(1.7 * i), ((i % 9) - 4) / 4]);
const SPEC = {
  data: { x: xs, y: xs.map(([a, b, c]) => Math.tanh(a - 0.5 * b) + 0.3 * c) },
  model: { width: 70, activation: 'tanh' },
  init: { alpha: 1, beta1: 0.5, beta2: 0.5 },
  optimizer: { kind: 'gd' },
  lr: 0.05,
  stop: { maxSteps: 1 },
  snapshots: [0, 1],
  seed: 4,
};

/** The runs of one batch trained with the fused step and `factors` (split=S,tree=T) forced. */
async function fusedBatch(factors: string, specs: object[]): Promise<AnyTrajectory[]> {
  Object.assign(process.env, { CONDENSA_STEP_VARIANT: 'fused', CONDENSA_STEP_FACTORS: factors });
  try {
    return await gpu.runBatch(specs);
  } finally {
    delete process.env.CONDENSA_STEP_VARIANT;
    delete process.env.CONDENSA_STEP_FACTORS;
  }
}
const fused = async (factors: string, spec: object) => twoLayer((await fusedBatch(factors, [spec]))[0], 'fused step');

/** The first forward pass in f64 from θ(0): hᵢₖ, σ′ᵢₖ, the residuals and the scales of the bounds. */
function firstPass(t: Trajectory) {
  const data = makeDataset(SPEC.data, w.heap, w.kernels);
  const { n } = data,
    D = data.d + 1,
    m = t.shape.m;
  const { a, w: W } = t.snapshots[0];
  const invAlpha = 1 / t.scales.alpha,
    c = invAlpha / n;
  const h = new Float64Array(n * m),
    ds = new Float64Array(n * m),
    e = new Float64Array(n),
    outScale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let k = 0; k < m; k++) {
      let z = 0;
      for (let j = 0; j < D; j++) z += data.x[i * D + j] * W[k * D + j];
      const th = Math.tanh(z);
      h[i * m + k] = th;
      ds[i * m + k] = 1 - th * th;
      f += a[k] * th;
      outScale[i] += Math.abs(a[k] * th);
    }
    e[i] = f * invAlpha - data.y[i];
    outScale[i] = Math.abs(invAlpha) * m * outScale[i] + Math.abs(f * invAlpha) + Math.abs(e[i]);
  }
  return { data, n, D, m, a, W, c, h, ds, e, outScale };
}

describe('the fused two-layer step on SwiftShader', () => {
  it('with factors 1 gives the WASM bits where it loads rows as vec4s (d + 1 = 4), dropout and Adam included', async () => {
    const spec = { ...SPEC, optimizer: { kind: 'adam' }, lr: 1e-3, dropout: { keep: 0.8 }, stop: { maxSteps: 60 }, snapshots: [30] };
    expect(await trajectoryHash(await fused('split=1,tree=1', spec))).toBe(await trajectoryHash(await wasm.run(spec)));
  }, 120_000);

  it('with factors 1 gives each run of a batch the WASM bits when the live runs move to a smaller program', async () => {
    // three of four runs end at step 10, so the fourth is carried (weights, Adam moments, state) on
    const specs = [10, 10, 10, 40].map((maxSteps, r) => ({
      ...SPEC,
      optimizer: { kind: 'adam' },
      lr: 1e-3,
      dropout: { keep: 0.8 },
      stop: { maxSteps },
      snapshots: [5],
      seed: 4 + r,
    }));
    const got = await fusedBatch('split=1,tree=1', specs);
    for (let r = 0; r < specs.length; r++) expect(await trajectoryHash(got[r]), `run ${r}`).toBe(await trajectoryHash(await wasm.run(specs[r])));
  }, 120_000);

  it('with split 3, each weight after the first step within its gradient sum’s dot budget', async () => {
    const got = await fused('split=3,tree=1', SPEC);
    const want = twoLayer(await wasm.run(SPEC), 'wasm');
    const { data, n, D, m, a, W, c, h, ds, e } = firstPass(want);
    const lr = SPEC.lr;
    const wScale = new Float64Array(m * D),
      aScale = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      let ga = 0,
        gaAbs = 0;
      for (let j = 0; j < D; j++) {
        let g = 0,
          gAbs = 0;
        for (let i = 0; i < n; i++) {
          const term = e[i] * c * a[k] * ds[i * m + k] * data.x[i * D + j];
          g += term;
          gAbs += Math.abs(term);
        }
        wScale[k * D + j] = lr * (n * gAbs + Math.abs(g));
      }
      for (let i = 0; i < n; i++) {
        ga += e[i] * h[i * m + k];
        gaAbs += Math.abs(e[i] * h[i * m + k]);
      }
      aScale[k] = lr * c * (n * gaAbs + 2 * Math.abs(ga));
    }
    const [gw, ww] = [got.snapshots[1], want.snapshots[1]];
    expect(gw.w).not.toEqual(ww.w); // the split took effect
    expect(measureParity({ kind: 'dot' }, gw.w, ww.w, wScale).worstRatio).toBeLessThanOrEqual(1);
    expect(measureParity({ kind: 'dot' }, gw.a, ww.a, aScale).worstRatio).toBeLessThanOrEqual(1);
    expect(W).toEqual(got.snapshots[0].w);
  }, 120_000);

  it('with tree 64, R(0) within the budget of the folded outputs and the loss lanes', async () => {
    // 130 neurons: three forward tiles, the last one partial (the trees change R(0) here; they need not)
    const spec = { ...SPEC, model: { width: 130, activation: 'tanh' }, init: { alpha: 1, beta1: 1, beta2: 1 }, seed: 6 };
    const got = await fused('split=1,tree=64', spec);
    const want = twoLayer(await wasm.run(spec), 'wasm');
    const { n, e, outScale } = firstPass(want);
    let scale = 0;
    for (let i = 0; i < n; i++) scale += n * e[i] * e[i] + 2 * Math.abs(e[i]) * outScale[i];
    scale *= 0.5 / n;
    expect(got.loss[0]).not.toBe(want.loss[0]);
    expect(measureParity({ kind: 'dot' }, [got.loss[0]], [want.loss[0]], [scale]).worstRatio).toBeLessThanOrEqual(1);
  }, 120_000);
});
