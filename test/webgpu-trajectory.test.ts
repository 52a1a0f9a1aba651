// The WebGPU engine against the WASM truth, in Node (Dawn; SwiftShader unless CONDENSA_ADAPTER=gpu):
// trajectories of the parity specs agree (bit for bit on SwiftShader, which does not fuse), a batch
// gives each run the trajectory it gets alone, and divergence and a lost device fail clearly (batches of
// several shape families: webgpu-families.test.ts).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { GpuContext, AdapterWish } from '../src/webgpu/device.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { trajectoryHash } from '../src/engine/trajectory.js';
import { TrainingDivergedError } from '../src/engine/train.js';
import { trajectoryParity, PARITY_SPECS, type TrajectoryParityRow } from '../src/webgpu/trajectory-parity.js';
import { STEP_VARIANTS } from '../src/webgpu/batch-program.js';
import { PHASE_RELU, XTANH_ADAM_DROPOUT, GOLDEN_SPECS, readGolden } from './specs.js';

let w: WasmInstance, ctx: GpuContext, gpu: Engine, rows: TrajectoryParityRow[];
beforeAll(async () => {
  w = await loadWasm();
  ctx = await openNodeDevice((process.env.CONDENSA_ADAPTER as AdapterWish) ?? 'swiftshader');
  gpu = createEngine('webgpu', w, ctx);
  rows = await trajectoryParity(w, createEngine('wasm', w), gpu);
});
afterAll(() => ctx?.device.destroy());

/** The trajectory parity bounds: the same ending, losses and weights within f32 drift. */
function expectWithinDrift(parity: TrajectoryParityRow[]): void {
  for (const r of parity) {
    expect(r.stopReason.webgpu, r.name).toBe(r.stopReason.wasm);
    expect(Math.abs(r.steps.webgpu - r.steps.wasm), r.name).toBeLessThanOrEqual(Math.ceil(0.01 * r.steps.wasm));
    expect(r.lossRelDiffMax, r.name).toBeLessThan(1e-2);
    expect(r.cosineMaxAbsDiff, r.name).toBeLessThan(1e-2);
    expect(Math.abs(r.rd.webgpu - r.rd.wasm) / r.rd.wasm, r.name).toBeLessThan(1e-2);
    if (r.oracleRelError) expect(r.oracleRelError.webgpu, r.name).toBeLessThan(1e-4);
    if (r.clusters) expect(r.clusters.webgpu, r.name).toBe(r.clusters.wasm);
  }
}

describe('trajectory parity, WebGPU vs WASM', () => {
  it('every parity spec ends the same way, with losses and weights within f32 drift', () => {
    expectWithinDrift(rows);
  });

  it('the fused step with split-K and trees (factors > 1, forced on SwiftShader) stays within the drift bounds', async () => {
    // each parity spec's first 100 steps: split 3 over the samples (the wide specs' 37 to 100 samples
    // in chunks), the outputs folded into the forward tiles, the loss over 64 lanes
    const capped = Object.fromEntries(
      Object.entries(PARITY_SPECS).map(([name, spec]) => {
        const { stop } = spec as { stop: { maxSteps: number } };
        return [name, { ...spec, stop: { ...stop, maxSteps: Math.min(stop.maxSteps, 100) } }];
      }),
    );
    Object.assign(process.env, { CONDENSA_STEP_VARIANT: 'fused', CONDENSA_STEP_FACTORS: 'split=3,tree=64' });
    try {
      const parity = await trajectoryParity(w, createEngine('wasm', w), gpu, capped);
      expectWithinDrift(parity);
      // on SwiftShader the reordered sums leave the WASM bits somewhere: the factors took effect
      if (ctx.adapter.software) expect(parity.some((r) => !r.bitIdentical)).toBe(true);
    } finally {
      delete process.env.CONDENSA_STEP_VARIANT;
      delete process.env.CONDENSA_STEP_FACTORS;
    }
  }, 600_000);

  it('is bit-identical on SwiftShader, golden hashes included', async (test) => {
    if (!ctx.adapter.software) test.skip(); // hardware may fuse a·b + c: only the drift bounds apply
    expect(rows.filter((r) => !r.bitIdentical).map((r) => r.name)).toEqual([]);
    const golden = readGolden();
    // the two-layer golden specs: the layered ones (a CNN, a transformer) take minutes a 1,000 steps on
    // SwiftShader, and webgpu-layered.test.ts checks layered nets' bits on shorter runs
    const twoLayer = Object.entries(GOLDEN_SPECS).filter(([, spec]) => !('layers' in spec.model));
    for (const [name, spec] of twoLayer) expect(await trajectoryHash(await gpu.run(spec)), name).toBe(golden[name].hash);
  });
});

describe('batches', () => {
  it('give each run the trajectory it gets alone (own seed, lr, stop rule, halving)', async () => {
    const specs = [
      { ...PHASE_RELU, stop: { maxSteps: 400 } },
      { ...PHASE_RELU, seed: 7, stop: { maxSteps: 5000, lossBelow: 1e-4 } },
      { ...PHASE_RELU, seed: 8, lr: { value: 1e6, halveOnIncrease: true }, stop: { maxSteps: 5000, lossBelow: 1e-5 } },
      { ...PHASE_RELU, init: { gamma: 0.5, gammaPrime: 0 }, stop: { maxSteps: 300 } },
    ];
    const batch = await gpu.runBatch(specs);
    expect(batch[2].restarts).toBeGreaterThan(0);
    expect(batch.map((t) => t.stopReason)).toEqual(['max-steps', 'loss-below', 'loss-below', 'max-steps']);
    for (let i = 0; i < specs.length; i++) expect(await trajectoryHash(batch[i]), `run ${i}`).toBe(await trajectoryHash(await gpu.run(specs[i])));
  });

  it('give the WASM bits through every step kernel on SwiftShader: fused (factors 1), per-run, workgroup (4 and 64 invocations), small and large blocks, restarts and dropout included', async (test) => {
    if (!ctx.adapter.software) test.skip();
    const wasm = createEngine('wasm', w);
    const relu = [
      { ...PHASE_RELU, stop: { maxSteps: 400 } },
      { ...PHASE_RELU, seed: 8, lr: { value: 1e6, halveOnIncrease: true }, stop: { maxSteps: 600, lossBelow: 1e-5 } },
      { ...PHASE_RELU, init: { gamma: 0.5, gammaPrime: 0 }, stop: { maxSteps: 300 }, snapshots: [37, 100] },
    ];
    // the golden run's first 400 steps (its whole 1,000 go through the default variant above)
    const dropout = [
      { ...XTANH_ADAM_DROPOUT, stop: { maxSteps: 400 } },
      { ...XTANH_ADAM_DROPOUT, seed: 12, stop: { maxSteps: 300 } },
    ];
    // D = 11 and n = 21: partial register blocks along the inputs and the samples (too large for per-run)
    const wide = [0, 1].map((i) => ({
      data: { preset: 'teacher10d', n: 21 },
      model: { width: 37, activation: 'tanh' },
      init: { alpha: 1, beta1: 0.05, beta2: 0.05 },
      optimizer: { kind: 'adam' },
      lr: 1e-3,
      dropout: { keep: 0.8 },
      stop: { maxSteps: 150 },
      snapshots: [70],
      seed: 5 + i,
    }));
    const truth = await Promise.all([...relu, ...dropout, ...wide].map(async (s) => trajectoryHash(await wasm.run(s))));
    for (const variant of STEP_VARIANTS) {
      process.env.CONDENSA_STEP_VARIANT = variant;
      try {
        const got = [...(await gpu.runBatch(relu)), ...(await gpu.runBatch(dropout)), ...(variant === 'per-run' ? [] : await gpu.runBatch(wide))];
        expect(got[1].restarts, variant).toBeGreaterThan(0);
        expect(await Promise.all(got.map((t) => trajectoryHash(t))), variant).toEqual(truth.slice(0, got.length));
      } finally {
        delete process.env.CONDENSA_STEP_VARIANT;
      }
    }
    // the workgroup kernel with a GPU's 64 invocations (its choice there for sweeps of small runs): the same bits
    Object.assign(process.env, { CONDENSA_STEP_VARIANT: 'workgroup-per-run', CONDENSA_STEP_INVOCATIONS: '64' });
    try {
      const got = [...(await gpu.runBatch(relu)), ...(await gpu.runBatch(dropout))];
      expect(await Promise.all(got.map((t) => trajectoryHash(t))), 'workgroup-per-run, 64 invocations').toEqual(truth.slice(0, got.length));
    } finally {
      delete process.env.CONDENSA_STEP_VARIANT;
      delete process.env.CONDENSA_STEP_INVOCATIONS;
    }
  }, 600_000);

  it('stop on a NaN with the step and run named', async () => {
    const spec = { ...XTANH_ADAM_DROPOUT, optimizer: { kind: 'gd' }, lr: 1e30, dropout: undefined, init: { alpha: 1, beta1: 1, beta2: 1 } };
    await expect(gpu.run(spec)).rejects.toThrow(TrainingDivergedError);
    await expect(gpu.run(spec)).rejects.toThrow(/training diverged at step \d+: .* \(run 0 of the WebGPU batch/);
  });

  it('name the step where the loss still rose after the last halving, as the CPU does', async () => {
    const spec = { ...PHASE_RELU, lr: { value: 1e6, halveOnIncrease: true, maxHalvings: 1 }, stop: { maxSteps: 50 } };
    const cpuError = await createEngine('wasm', w)
      .run(spec)
      .then(
        () => undefined,
        (e: Error) => e.message,
      );
    expect(cpuError).toMatch(/learning rate halved 1 times and the loss still increased at step (\d+)/);
    const step = cpuError!.match(/at step (\d+)/)![1];
    await expect(gpu.run(spec)).rejects.toThrow(new RegExp(`halved 1 times and the loss still increased at step ${step} \\(run 0 of the WebGPU batch\\)`));
  });

  it('end with a clear error, not a hang, when the device is lost mid-run', async () => {
    const own = await openNodeDevice((process.env.CONDENSA_ADAPTER as AdapterWish) ?? 'swiftshader');
    const run = createEngine('webgpu', w, own).run({ ...PHASE_RELU, stop: { maxSteps: 1_000_000 } });
    setTimeout(() => own.device.destroy(), 200);
    await expect(run).rejects.toThrow(/WebGPU device lost \(destroyed/);
  });

  it('refuse a software adapter when a GPU is asked for', async (test) => {
    if (!ctx.adapter.software) test.skip();
    await expect(openNodeDevice('gpu')).rejects.toThrow(/asked for a hardware GPU but got a software adapter/);
  });
});
