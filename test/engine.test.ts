// The f32 engine: WASM and reference trajectories are bit-identical; the f32 gradient agrees with
// f64 finite differences; the stop rules, halve-and-restart, snapshots, ASI and error paths work.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import { TrainingDivergedError } from '../src/engine/train.js';
import { trajectoryHash, twoLayer } from '../src/engine/trajectory.js';
import { makeDataset } from '../src/engine/data.js';
import { TwoLayerF32 } from '../src/engine/twolayer-f32.js';
import { ACTIVATIONS } from '../src/engine/activations.js';
import { PHASE_RELU, XTANH_ADAM_DROPOUT } from './specs.js';

let w: WasmInstance;
beforeAll(async () => {
  w = await loadWasm();
});

const short = (spec: object, steps: number) => ({ ...spec, stop: { maxSteps: steps } });

describe('wasm = reference, bit for bit', () => {
  it.each([
    ['relu, GD, ASI, luo2021 lr', short(PHASE_RELU, 300)],
    ['xtanh, Adam, dropout', short(XTANH_ADAM_DROPOUT, 200)],
    [
      'x2tanh, GD, sin5d, odd width',
      {
        data: { preset: 'sin5d', n: 13 },
        model: { width: 37, activation: 'x2tanh' },
        init: { alpha: 1, beta1: 0.1, beta2: 0.1 },
        optimizer: { kind: 'gd' },
        lr: 0.01,
        stop: { maxSteps: 150 },
        seed: 2,
      },
    ],
    [
      'softplus and sigmoid, Adam',
      {
        data: { preset: 'overview1d', n: 9 },
        model: { width: 18, activation: 'softplus' },
        init: { alpha: 1, beta1: 0.01, beta2: 0.01 },
        optimizer: { kind: 'adam' },
        lr: 1e-3,
        stop: { maxSteps: 150 },
        seed: 4,
      },
    ],
    [
      'tanh, inline data',
      {
        data: {
          x: [
            [0.1, 2],
            [0.3, -1],
            [-0.7, 0],
          ],
          y: [1, -1, 0.5],
        },
        model: { width: 9, activation: 'tanh' },
        init: { alpha: 1, beta1: 1e-3, beta2: 1e-3 },
        optimizer: { kind: 'gd' },
        lr: 0.05,
        stop: { maxSteps: 150 },
        seed: 9,
      },
    ],
  ])('%s', async (_name, spec) => {
    const a = await createEngine('wasm', w).run(spec);
    const b = await createEngine('reference', w).run(spec);
    expect(a.steps).toBeGreaterThan(0);
    expect(await trajectoryHash(a)).toBe(await trajectoryHash(b));
    expect(a.finalLoss).toBeLessThan(a.initialLoss);
  });
});

describe('f32 gradient against f64 finite differences', () => {
  for (const act of ACTIVATIONS) {
    it(act.name, () => {
      const { heap, kernels: k } = w;
      const mark = heap.mark();
      const data = makeDataset({ preset: 'sin1d', n: 6 }, heap, k);
      const m = 8,
        D = 2,
        alpha = 2;
      const net = new TwoLayerF32(heap, k, data, m, act.kind, alpha, undefined);
      k.philox_normal(net.ptr.a, m, 0.8, 1, 0, 2, 0);
      k.philox_normal(net.ptr.W, m * D, 0.8, 1, 0, 3, 0);
      net.forward(0);
      net.backward();
      const g32 = [...heap.viewF32(net.ptr.ga, m), ...heap.viewF32(net.ptr.gW, m * D)];
      const { a, w: W } = net.weights();
      const theta = [...a, ...W];
      const loss = (th: number[]) => {
        let R = 0;
        for (let i = 0; i < data.n; i++) {
          let f = 0;
          for (let j = 0; j < m; j++) f += th[j] * act.f64(th[m + j * D] * data.x[i * D] + th[m + j * D + 1]);
          R += (f / alpha - data.y[i]) ** 2;
        }
        return R / (2 * data.n);
      };
      const h = 1e-6;
      theta.forEach((_, i) => {
        const up = theta.slice(),
          dn = theta.slice();
        up[i] += h;
        dn[i] -= h;
        const fd = (loss(up) - loss(dn)) / (2 * h);
        expect(Math.abs(g32[i] - fd), `θ${i}: f32 ${g32[i]} vs fd ${fd}`).toBeLessThan(2e-5 * Math.max(1, Math.abs(fd)));
      });
      heap.release(mark);
    });
  }
});

describe('training loop', () => {
  const run = (spec: object) => createEngine('wasm', w).run(spec);

  it('ASI starts from f ≡ 0, so R(0) = Σy²/2n', async () => {
    const t = await run(short(PHASE_RELU, 0));
    const ys = [-0.5, -1 / 6, 1 / 6, 0.5].map((x) => Math.fround(x * x));
    expect(t.initialLoss).toBeCloseTo(ys.reduce((s, y) => s + y * y, 0) / 8, 7);
    expect(t.stopReason).toBe('max-steps');
  });

  it('stops at loss < tol and at R ≤ 0.99·R(0), on the first step that satisfies the rule', async () => {
    const tol = await run({ ...PHASE_RELU, stop: { maxSteps: 100000, lossBelow: 1e-5 } });
    expect(tol.stopReason).toBe('loss-below');
    expect(tol.finalLoss).toBeLessThan(1e-5);
    expect(tol.loss[tol.loss.length - 2]).toBeGreaterThanOrEqual(1e-5);
    const ratio = await run({ ...XTANH_ADAM_DROPOUT, dropout: undefined, stop: { maxSteps: 100000, lossRatioBelow: 0.99 } });
    expect(ratio.stopReason).toBe('loss-ratio');
    expect(ratio.finalLoss).toBeLessThanOrEqual(0.99 * ratio.initialLoss);
    expect(ratio.loss[ratio.loss.length - 2]).toBeGreaterThan(0.99 * ratio.initialLoss);
  });

  it('halves the learning rate and restarts from θ(0) whenever the loss increases', async () => {
    const t = await run({ ...PHASE_RELU, lr: { value: 1e6, halveOnIncrease: true }, stop: { maxSteps: 2000, lossBelow: 1e-5 } });
    expect(t.restarts).toBeGreaterThan(0);
    expect(t.lr).toBe(Math.fround(1e6 / 2 ** t.restarts));
    for (let i = 1; i < t.loss.length; i++) expect(t.loss[i]).toBeLessThanOrEqual(t.loss[i - 1] * (1 + 1e-7));
    const fixed = await run({ ...PHASE_RELU, lr: t.lr, stop: { maxSteps: 2000, lossBelow: 1e-5 } });
    expect(fixed.steps).toBe(t.steps);
  });

  it('keeps snapshots at the requested steps plus step 0 and the last', async () => {
    const t = await run(short(PHASE_RELU, 600));
    expect(t.snapshots.map((s) => s.step)).toEqual([0, 100, 500, 600]);
    expect(twoLayer(t, 'this test').snapshots[1].w).not.toEqual(twoLayer(t, 'this test').snapshots[0].w);
  });

  it('stops with the step and tensor named when training produces a NaN or Inf', async () => {
    const spec = { ...short(XTANH_ADAM_DROPOUT, 500), optimizer: { kind: 'gd' }, lr: 1e30, dropout: undefined, init: { alpha: 1, beta1: 1, beta2: 1 } };
    await expect(run(spec)).rejects.toThrow(TrainingDivergedError);
    await expect(run(spec)).rejects.toThrow(/^training diverged at step \d+: \S.* holds (NaN|-?Infinity) at index \d+/);
  });

  it('gives up with a clear message when halving cannot stop the loss increasing', async () => {
    const spec = { ...PHASE_RELU, lr: { value: 1e30, halveOnIncrease: true, maxHalvings: 2 } };
    await expect(run(spec)).rejects.toThrow(/learning rate halved 2 times|training diverged/);
  });

  it('rejects an unknown backend by name', () => {
    expect(() => createEngine('cuda', w)).toThrow(/unknown backend "cuda" \(available: wasm, reference, webgpu\)/);
    expect(() => createEngine('webgpu', w)).toThrow(/backend webgpu needs a WebGPU device/);
  });
});
