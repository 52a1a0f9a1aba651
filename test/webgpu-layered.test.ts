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
    model: { layers: [conv(16, 3, { bias: false, init: { std: 1e-3 } }), { type: 'activation', fn: 'tanh' }, { type: 'flatten' }, { type: 'dense', units: 1, bias: false, init: { std: 1e-3 } }] },
    optimizer: { kind: 'gd' }, lr: 0.05, stop: { maxSteps: 30 }, snapshots: [10], seed: 3,
  },
  'every layer kind, Adam, mini-batches, clipping, cosine schedule': {
    data: { preset: 'gauss-images', n: 24, channels: 2, size: 8, seed: 2 },
    model: {
      layers: [
        conv(4, 3, { padding: 'same', init: { std: 0.5 } }), { type: 'activation', fn: 'relu' },
        { type: 'residual', layers: [conv(4, 3, { padding: 'same', init: { std: 0.3 } }), { type: 'activation', fn: 'tanh' }] },
        { type: 'maxpool2d', size: 2 }, conv(3, 3, { stride: 2, padding: 'same' }), { type: 'activation', fn: 'softplus' },
        { type: 'avgpool2d', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 4 }, { type: 'activation', fn: 'xtanh' }, { type: 'dense', units: 1 },
      ],
      alpha: 2,
    },
    optimizer: { kind: 'adam' }, batch: { size: 8 }, clip: { maxNorm: 0.5 }, lr: { value: 0.01, warmupSteps: 3, decay: 'cosine', decaySteps: 20 },
    stop: { maxSteps: 25 }, seed: 5,
  },
  'digits, softmax cross-entropy, AdamW': {
    data: { preset: 'mnist', classes: [1, 7, 9], perClass: 6, size: 14 },
    model: { layers: [conv(4, 5, { init: { std: 0.2 } }), { type: 'activation', fn: 'tanh' }, { type: 'avgpool2d', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 3 }], loss: 'softmax-ce' },
    optimizer: { kind: 'adamw', weightDecay: 0.05 }, lr: 0.01, stop: { maxSteps: 15 }, seed: 2,
  },
};

describe('layered trajectories, WebGPU vs WASM', () => {
  it.each(Object.keys(NETS))('%s', async (name) => {
    const [a, b] = [(await cpu.run(NETS[name])) as LayeredTrajectory, (await gpu.run(NETS[name])) as LayeredTrajectory];
    expect(b.backend).toBe('webgpu');
    expect(b.steps).toBe(a.steps);
    const last = (t: AnyTrajectory) => (t as LayeredTrajectory).snapshots[t.snapshots.length - 1].params;
    const drift = Math.max(...Array.from(last(a), (v, i) => Math.abs(v - last(b)[i]) / (Math.abs(v) + 1e-3)));
    expect(drift).toBeLessThan(1e-3);
    if (ctx.adapter.software) expect(await trajectoryHash(b)).toBe(await trajectoryHash(a));
  });

  it('a NaN in training stops with the step and tensor named', async () => {
    await expect(gpu.run({ ...NETS['two-layer CNN, GD (the T3.1 protocol, 30 steps)'], lr: 1e30 })).rejects.toThrow(/training diverged at step \d+: (.+ holds (NaN|-?Infinity) at index \d+|R \(loss\) is not finite) \(lr [\d.e+]+, backend webgpu\)/);
  });
});
