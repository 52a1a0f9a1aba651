// What the WebGPU engine asks of the device per training step and per chunk of steps, counted by
// src/webgpu/gpu.ts (dispatches, queue submits, read-backs): the baseline that issue #27's targets
// lower (≤ 1 submit and ≤ 1 read-back per layered step or chunk; ≤ 4 dispatches a two-layer hardware
// step; a batch of several two-layer shape families: 1 submit and 1 read-back a round for all of them).
// Counted on SwiftShader, whose kernel shaping these numbers are; a step's or a chunk's counts are
// the difference between two runs that differ by that step or chunk (both end with the same read-backs).
// Also: the bench rows carry the counts, the environment record the timestamp facts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { create } from 'webgpu';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { openNodeDevice, dawnFlags } from '../src/webgpu/node.js';
import type { GpuContext } from '../src/webgpu/device.js';
import { gpuCounts, resetGpuCounts, type GpuCounts } from '../src/webgpu/gpu.js';
import { timestampsQuantized } from '../src/webgpu/pass-timer.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { STEP_VARIANTS, stepVariant } from '../src/webgpu/batch-program.js';
import { webgpuEnvironment } from '../src/environment.js';
import { runBench } from '../src/bench/run.js';
import { PHASE_RELU, XTANH_ADAM_DROPOUT } from './specs.js';

let w: WasmInstance, ctx: GpuContext, gpu: Engine;
beforeAll(async () => {
  w = await loadWasm();
  ctx = await openNodeDevice('swiftshader');
  gpu = createEngine('webgpu', w, ctx);
});
afterAll(() => ctx?.device.destroy());

/** Run `body` with environment variables set, then put them back. */
async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The device's counts over one batch of `specs` trained to `maxSteps`. */
async function batchCountsOf(specs: Record<string, unknown>[], maxSteps: number): Promise<GpuCounts> {
  resetGpuCounts(ctx);
  await gpu.runBatch(specs.map((spec) => ({ ...spec, stop: { maxSteps } })));
  return gpuCounts(ctx);
}

/** The device's counts over a batch of `spec` alone trained to `maxSteps`. */
const countsOf = (spec: Record<string, unknown>, maxSteps: number) => batchCountsOf([spec], maxSteps);

const minus = (a: GpuCounts, b: GpuCounts): GpuCounts => ({
  dispatches: a.dispatches - b.dispatches,
  submits: a.submits - b.submits,
  readBacks: a.readBacks - b.readBacks,
});

/** The T3.1 network of test/webgpu-layered.test.ts: conv 16@3×3 → tanh → dense 1, GD, full batch. */
const CNN = {
  data: { preset: 'gauss-images', n: 40, channels: 3, size: 8, seed: 1 },
  model: {
    layers: [
      { type: 'conv2d', filters: 16, kernel: 3, bias: false, init: { std: 1e-3 } },
      { type: 'activation', fn: 'tanh' },
      { type: 'flatten' },
      { type: 'dense', units: 1, bias: false, init: { std: 1e-3 } },
    ],
  },
  optimizer: { kind: 'gd' },
  lr: 0.05,
  seed: 3,
};

describe('GPU work per step, counted', () => {
  // Read off the code of 2026-12-04: the block variants encode seven dispatches a step (step_begin,
  // train_grad_a, train_grad_w, train_forward, gemv_n, mse_residual, control), the per-run and workgroup
  // kernels one a chunk; a chunk of 64 steps and the copy of its status go in one submit, with one
  // read-back (two submits before issue #27's target of one).
  // The fused step: fused_grad (its update in the epilogue), fused_forward, fused_control: three a step
  // in the WASM order; with split > 1 fused_update adds the chunk sums, four a step (below).
  const TWO_LAYER: Record<(typeof STEP_VARIANTS)[number], GpuCounts> = {
    fused: { dispatches: 3 * 64, submits: 1, readBacks: 1 },
    'small-blocks': { dispatches: 7 * 64, submits: 1, readBacks: 1 },
    'large-blocks': { dispatches: 7 * 64, submits: 1, readBacks: 1 },
    'per-run': { dispatches: 1, submits: 1, readBacks: 1 },
    'workgroup-per-run': { dispatches: 1, submits: 1, readBacks: 1 },
  };
  it('on a GPU the step variant follows the run: a sweep’s small runs one workgroup each (a dispatch a chunk), the rest fused', () => {
    const gpu = { software: false };
    expect(stepVariant(gpu, { n: 4, D: 2, m: 1000 }, 'relu', false)).toBe('workgroup-per-run'); // the phase grid
    expect(stepVariant(gpu, { n: 1000, D: 11, m: 4000 }, 'tanh', false)).toBe('fused');
    expect(stepVariant(gpu, { n: 40, D: 2, m: 100 }, 'xtanh', true)).toBe('workgroup-per-run');
  });

  it.each(STEP_VARIANTS)('two-layer batch, %s: a chunk of 64 steps', async (variant) => {
    const spec = { ...PHASE_RELU, lr: { rule: 'luo2021' }, snapshots: [] };
    const chunk = await withEnv({ CONDENSA_STEP_VARIANT: variant }, async () => minus(await countsOf(spec, 128), await countsOf(spec, 64)));
    expect(chunk).toEqual(TWO_LAYER[variant]);
  });

  // Issue #27: two-layer runs of several shape families go in lockstep, one program each: a round (every
  // family's chunk, then the copies of every family's status) is 1 submit and 1 read-back however many
  // families there are, and a whole batch of three families as many as one family's (an initial round,
  // two chunks, the read-back of the last steps' weights: 4 and 4); a batch per family did 3 × 4.
  it('two-layer batch of three shape families: a round of chunks is 1 submit and 1 read-back, the whole batch as one family’s', async () => {
    const one = { ...PHASE_RELU, lr: { rule: 'luo2021' }, snapshots: [] };
    const mixed = [250, 100, 40].map((width) => ({ ...one, model: { ...one.model, width } }));
    // on SwiftShader each family's chunk is one per-run dispatch
    expect(minus(await batchCountsOf(mixed, 128), await batchCountsOf(mixed, 64))).toEqual({ dispatches: 3, submits: 1, readBacks: 1 });
    expect(await batchCountsOf(mixed, 128)).toMatchObject({ submits: 4, readBacks: 4 });
    expect(await countsOf(one, 128)).toMatchObject({ submits: 4, readBacks: 4 });
  });

  it('two-layer batch, fused with split-K and trees (the GPU factors): at most 4 dispatches a step', async () => {
    const spec = { ...XTANH_ADAM_DROPOUT, snapshots: [] };
    const chunk = await withEnv({ CONDENSA_STEP_VARIANT: 'fused', CONDENSA_STEP_FACTORS: 'split=3,tree=64' }, async () =>
      minus(await countsOf(spec, 128), await countsOf(spec, 64)),
    );
    expect(chunk).toEqual({ dispatches: 4 * 64, submits: 1, readBacks: 1 });
  });

  // Read off the code of 2026-12-05 (layered-batch-encoder.ts): a step of the T3.1 network is 15
  // dispatches (step_begin, the program's backward and update calls, layered_scalars, its forward calls,
  // control; 16 while the conv forward was im2col then a GEMM, before conv_gemm_nt) in one command buffer, submitted with the copy of the chunk's status: one submit and one
  // read-back a step or chunk (issue #27's target; two submits before).
  const LAYERED_STEP: GpuCounts = { dispatches: 15, submits: 1, readBacks: 1 };
  it('layered batch: one step (a chunk of 1, as on a CPU adapter)', async () => {
    const step = await withEnv({ CONDENSA_LAYERED_CHUNK: '1' }, async () => minus(await countsOf(CNN, 3), await countsOf(CNN, 2)));
    expect(step).toEqual(LAYERED_STEP);
  });

  it('layered batch: a chunk of 4 steps (as on a GPU, which chunks up to 64)', async () => {
    // chunks 1, 2 (3 steps) against 1, 2, 4 (7 steps)
    const chunk = await withEnv({ CONDENSA_LAYERED_CHUNK: '4' }, async () => minus(await countsOf(CNN, 7), await countsOf(CNN, 3)));
    expect(chunk).toEqual({ dispatches: 4 * LAYERED_STEP.dispatches, submits: 1, readBacks: 1 });
  });

  it('a bench training step of a layered network is one submit and one read-back (the loss)', async () => {
    const { rows } = await runBench({ quick: true, filter: 'conv webgpu n=8,32×32×16→16@3×3', webgpu: 'swiftshader', log: () => {} });
    expect(rows).toHaveLength(1);
    expect(rows[0].gpuWork).toMatchObject({ submits: 1, readBacks: 1 });
  });

  it('bench rows of our WebGPU implementation name their variant and carry their counts per timed call', async () => {
    const { rows } = await runBench({ quick: true, filter: 'gemm webgpu n=256', webgpu: 'swiftshader', log: () => {} });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ impl: 'webgpu', variant: 'tiled', gpuWork: { dispatches: 1, submits: 1, readBacks: 0 } });
  });
});

describe('timestamps and the adapter in the environment record', () => {
  it("on SwiftShader the record names the adapter, its model and Dawn's options, and its timestamps are not quantized", () => {
    const env = webgpuEnvironment(ctx, dawnFlags());
    expect(env.adapter.description).toMatch(/SwiftShader/);
    expect(env.model).toBe(env.adapter.device);
    expect(env.timestampQuery).toBe(true);
    expect(env.adapter.timestampQuantization).toBe(false);
    expect(env.dawnFlags.split(' ')).toContain('disable-dawn-features=timestamp_quantization');
  });

  it("the probe tells quantized timestamps apart: Dawn's default rounds them to 65.536 µs", async () => {
    const adapter = await create(['enable-dawn-features=disable_robustness']).requestAdapter();
    const device = await adapter!.requestDevice({ requiredFeatures: ['timestamp-query'] });
    try {
      expect(await timestampsQuantized(device)).toBe(true);
      expect(await timestampsQuantized(ctx.device)).toBe(false);
    } finally {
      device.destroy();
    }
  });
});
