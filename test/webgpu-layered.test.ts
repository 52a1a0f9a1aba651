// Layered models on WebGPU in Node (Dawn; SwiftShader unless CONDENSA_ADAPTER=gpu): the WebGPU
// executor runs the same program as WASM, so on SwiftShader (no fusion, the WASM order in every
// kernel) the trajectories are the WASM bits; on hardware they agree within f32 drift.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { GpuContext, AdapterWish } from '../src/webgpu/device.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { trajectoryHash, type AnyTrajectory } from '../src/engine/trajectory.js';
import type { LayeredTrajectory } from '../src/model/trajectory.js';
import { largestChunk, LAYERED_CHUNK } from '../src/webgpu/layered-batch.js';
import { resnetRun } from '../suites/resnet-digits.suite.js';

let w: WasmInstance, ctx: GpuContext, gpu: Engine, cpu: Engine;
beforeAll(async () => {
  w = await loadWasm();
  ctx = await openNodeDevice((process.env.CONDENSA_ADAPTER as AdapterWish) ?? 'swiftshader');
  gpu = createEngine('webgpu', w, ctx);
  cpu = createEngine('wasm', w);
});
afterAll(() => ctx?.device.destroy());

const conv = (filters: number, kernel: number, extra: Record<string, unknown> = {}) => ({ type: 'conv2d', filters, kernel, ...extra });
const NETS: Record<string, Record<string, unknown>> = {
  'two-layer CNN, GD (the T3.1 protocol, 30 steps)': {
    data: { preset: 'gauss-images', n: 40, channels: 3, size: 8, seed: 1 },
    model: {
      layers: [
        conv(16, 3, { bias: false, init: { std: 1e-3 } }),
        { type: 'activation', fn: 'tanh' },
        { type: 'flatten' },
        { type: 'dense', units: 1, bias: false, init: { std: 1e-3 } },
      ],
    },
    optimizer: { kind: 'gd' },
    lr: 0.05,
    stop: { maxSteps: 30 },
    snapshots: [10],
    seed: 3,
  },
  'every layer kind, Adam, mini-batches, clipping, cosine schedule': {
    data: { preset: 'gauss-images', n: 24, channels: 2, size: 8, seed: 2 },
    model: {
      layers: [
        conv(4, 3, { padding: 'same', init: { std: 0.5 } }),
        { type: 'activation', fn: 'relu' },
        { type: 'residual', layers: [conv(4, 3, { padding: 'same', init: { std: 0.3 } }), { type: 'activation', fn: 'tanh' }] },
        { type: 'maxpool2d', size: 2 },
        conv(3, 3, { stride: 2, padding: 'same' }),
        { type: 'activation', fn: 'softplus' },
        { type: 'avgpool2d', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 4 },
        { type: 'activation', fn: 'xtanh' },
        { type: 'dense', units: 1 },
      ],
      alpha: 2,
    },
    optimizer: { kind: 'adam' },
    batch: { size: 8 },
    clip: { maxNorm: 0.5 },
    lr: { value: 0.01, warmupSteps: 3, decay: 'cosine', decaySteps: 20 },
    stop: { maxSteps: 25 },
    seed: 5,
  },
  'digits, softmax cross-entropy, AdamW': {
    data: { preset: 'mnist', classes: [1, 7, 9], perClass: 6, size: 14 },
    model: {
      layers: [
        conv(4, 5, { init: { std: 0.2 } }),
        { type: 'activation', fn: 'tanh' },
        { type: 'avgpool2d', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
      loss: 'softmax-ce',
    },
    optimizer: { kind: 'adamw', weightDecay: 0.05 },
    lr: 0.01,
    stop: { maxSteps: 15 },
    seed: 2,
  },
  'dense layers with layer norms (post-LN, as in a transformer block), AdamW': {
    data: { preset: 'teacher10d', n: 40, seed: 4 },
    model: {
      layers: [
        { type: 'dense', units: 24, init: { std: 0.4 } },
        { type: 'layernorm' },
        { type: 'activation', fn: 'relu' },
        {
          type: 'residual',
          layers: [
            { type: 'dense', units: 24, init: { std: 0.2 } },
            { type: 'activation', fn: 'tanh' },
          ],
        },
        { type: 'layernorm', eps: 1e-3 },
        { type: 'dense', units: 1 },
      ],
    },
    optimizer: { kind: 'adamw', weightDecay: 0.01 },
    lr: 0.01,
    stop: { maxSteps: 25 },
    seed: 6,
  },
  'token sequences: embedding, learned positions, causal attention, layer norm, per-token dense maps with GELU, the last position, Adam': {
    data: {
      x: Array.from({ length: 16 }, (_, i) => Array.from({ length: 9 }, (_, j) => (i * 11 + j * 5) % 31)),
      y: Array.from({ length: 16 }, (_, i) => Math.sin(i)),
    },
    model: {
      layers: [
        { type: 'embedding', vocab: 31, dim: 8, init: { std: 0.5 } },
        { type: 'positional', init: { std: 0.2 } },
        { type: 'layernorm' },
        { type: 'residual', layers: [{ type: 'attention', dk: 4, init: { std: 0.4 } }] },
        { type: 'layernorm' },
        { type: 'residual', layers: [conv(8, 1, { init: { std: 0.3 } }), { type: 'activation', fn: 'gelu' }] },
        { type: 'layernorm' },
        { type: 'lastposition' },
        { type: 'dense', units: 1 },
      ],
    },
    optimizer: { kind: 'adam' },
    batch: { size: 8 },
    lr: 0.01,
    stop: { maxSteps: 20 },
    seed: 2,
  },
  'a post-LN transformer block on the anchor task (201 classes, the last position), AdamW with warm-up and clipping': {
    data: { preset: 'anchor', perPair: 4, seed: 1 },
    model: {
      layers: [
        { type: 'embedding', vocab: 201, dim: 12, init: { std: 'd_in^-gamma', gamma: 0.5 } },
        { type: 'positional', init: { std: 0.1 } },
        { type: 'residual', layers: [{ type: 'attention', dk: 6, init: { std: 'd_in^-gamma', gamma: 0.5 } }] },
        { type: 'layernorm' },
        { type: 'residual', layers: [conv(24, 1), { type: 'activation', fn: 'relu' }, conv(12, 1)] },
        { type: 'layernorm' },
        { type: 'lastposition' },
        { type: 'dense', units: 201 },
      ],
      loss: 'softmax-ce',
    },
    optimizer: { kind: 'adamw', weightDecay: 0.01 },
    lr: { value: 3e-3, warmupSteps: 3 },
    batch: { size: 16 },
    clip: { maxNorm: 1 },
    stop: { maxSteps: 8 },
    seed: 3,
  },
  'the resnet-digits network (small head), its first 3 steps': { ...resnetRun('small', 0).spec, stop: { maxSteps: 3 }, snapshots: [] },
};

describe('layered trajectories, WebGPU vs WASM', () => {
  it.each(Object.keys(NETS))('%s', async (name) => {
    const [a, b] = [(await cpu.run(NETS[name])) as LayeredTrajectory, (await gpu.run(NETS[name])) as LayeredTrajectory];
    expect(b.backend).toBe('webgpu');
    expect(b.steps).toBe(a.steps);
    const last = (t: AnyTrajectory) => (t as LayeredTrajectory).snapshots[t.snapshots.length - 1].params;
    const drift = last(a).reduce((d, v, i) => Math.max(d, Math.abs(v - last(b)[i]) / (Math.abs(v) + 1e-3)), 0);
    expect(drift).toBeLessThan(1e-3);
    if (ctx.adapter.software) expect(await trajectoryHash(b)).toBe(await trajectoryHash(a));
  });

  it('a batch of different runs (models, seeds, rates, stop rules, a halve-and-restart) trains as one, each run as alone', async () => {
    const t31 = NETS['two-layer CNN, GD (the T3.1 protocol, 30 steps)'];
    const specs = [
      t31,
      { ...t31, seed: 4, lr: { value: 40, halveOnIncrease: true }, stop: { maxSteps: 70, lossRatioBelow: 0.05 }, snapshots: [5, 65], lossEvery: 3 },
      NETS['every layer kind, Adam, mini-batches, clipping, cosine schedule'],
      { ...NETS['every layer kind, Adam, mini-batches, clipping, cosine schedule'], seed: 9, stop: { maxSteps: 140 }, snapshots: [64, 65, 100] },
      NETS['digits, softmax cross-entropy, AdamW'],
    ];
    process.env.CONDENSA_LAYERED_CHUNK = '64'; // runs stop and restart inside chunks and idle to their end
    const batch = (await gpu.runBatch(specs).finally(() => delete process.env.CONDENSA_LAYERED_CHUNK)) as LayeredTrajectory[];
    expect(batch[1].restarts).toBeGreaterThan(0);
    for (const [i, spec] of specs.entries()) {
      const alone = (await cpu.run(spec)) as LayeredTrajectory;
      expect([batch[i].steps, batch[i].stopReason, batch[i].restarts, batch[i].snapshots.map((s) => s.step)]).toEqual([
        alone.steps,
        alone.stopReason,
        alone.restarts,
        alone.snapshots.map((s) => s.step),
      ]);
      if (ctx.adapter.software) expect(await trajectoryHash(batch[i])).toBe(await trajectoryHash(alone));
      else expect(Math.abs(batch[i].finalLoss - alone.finalLoss) / alone.finalLoss).toBeLessThan(1e-3);
    }
  });

  it('chunks: one step on a CPU adapter, LAYERED_CHUNK on a GPU, CONDENSA_LAYERED_CHUNK checked', () => {
    expect([largestChunk({ software: true }), largestChunk({ software: false })]).toEqual([1, LAYERED_CHUNK]);
    process.env.CONDENSA_LAYERED_CHUNK = '0';
    try {
      expect(() => largestChunk({ software: true })).toThrow(/CONDENSA_LAYERED_CHUNK must be an integer from 1 to 64, got "0"/);
    } finally {
      delete process.env.CONDENSA_LAYERED_CHUNK;
    }
  });

  it('a NaN in training stops with the step and tensor named', async () => {
    await expect(gpu.run({ ...NETS['two-layer CNN, GD (the T3.1 protocol, 30 steps)'], lr: 1e30 })).rejects.toThrow(
      /training diverged at step \d+: (.+ holds (NaN|-?Infinity) at index \d+|R \(loss\) is not finite) \(lr [\d.e+]+, backend webgpu\)/,
    );
  });
});
