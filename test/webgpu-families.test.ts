// A WebGPU batch of two-layer runs from several shape families (src/webgpu/batch.ts): the families go
// in lockstep, one program each, yet every run gets the bits it gets in a batch of its family alone
// (restarts, early stops, snapshots and a shrink among them), results come back in the order of the
// specs, errors name the run by its place in the whole batch, and a program still refuses specs of
// two families. Its counts (one submit and one read-back a round) are pinned in webgpu-counts.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { GpuContext, AdapterWish } from '../src/webgpu/device.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { validateRunSpec } from '../src/engine/spec.js';
import { trajectoryHash } from '../src/engine/trajectory.js';
import { GpuBatchProgram, shapeFamilies } from '../src/webgpu/batch-program.js';
import { PHASE_RELU, XTANH_ADAM_DROPOUT } from './specs.js';

let w: WasmInstance, ctx: GpuContext, gpu: Engine;
beforeAll(async () => {
  w = await loadWasm();
  ctx = await openNodeDevice((process.env.CONDENSA_ADAPTER as AdapterWish) ?? 'swiftshader');
  gpu = createEngine('webgpu', w, ctx);
});
afterAll(() => ctx?.device.destroy());

const narrow = { ...PHASE_RELU, model: { ...PHASE_RELU.model, width: 100 } };
/** Three families, their runs interleaved: width 250 (four runs, two that stop early: the program
 * shrinks), width 100 (a halve-and-restart run, a snapshot at step 37), x·tanh with Adam and dropout. */
const MIXED = [
  { ...PHASE_RELU, stop: { maxSteps: 400 }, snapshots: [100] },
  { ...narrow, seed: 8, lr: { value: 1e6, halveOnIncrease: true }, stop: { maxSteps: 600, lossBelow: 1e-5 } },
  { ...XTANH_ADAM_DROPOUT, stop: { maxSteps: 300 } },
  { ...PHASE_RELU, seed: 7, stop: { maxSteps: 100 } },
  { ...narrow, init: { gamma: 0.5, gammaPrime: 0 }, stop: { maxSteps: 300 }, snapshots: [37] },
  { ...XTANH_ADAM_DROPOUT, seed: 12, stop: { maxSteps: 150 } },
  { ...PHASE_RELU, seed: 9, stop: { maxSteps: 130 } },
  { ...PHASE_RELU, seed: 10, stop: { maxSteps: 250 } },
];
const FAMILIES = [
  [0, 3, 6, 7],
  [1, 4],
  [2, 5],
];

describe('a batch of several shape families', () => {
  it('groups the specs by family, families in order of their first run', () => {
    expect(shapeFamilies(MIXED.map(validateRunSpec), w)).toEqual(FAMILIES);
  });

  it('gives each run the bits of its family trained alone, in the order of the specs', async () => {
    const mixed = await gpu.runBatch(MIXED);
    expect(mixed.map((t) => t.spec)).toEqual(MIXED.map(validateRunSpec));
    expect(mixed[1].restarts).toBeGreaterThan(0);
    expect(mixed.map((t) => t.steps)).toEqual([400, expect.any(Number), 300, 100, 300, 150, 130, 250]);
    expect(mixed[4].snapshots.map((s) => s.step)).toEqual([0, 37, 300]);
    const alone = new Array<string>(MIXED.length);
    for (const family of FAMILIES) {
      const got = await gpu.runBatch(family.map((r) => MIXED[r]));
      for (const [j, r] of family.entries()) alone[r] = await trajectoryHash(got[j]);
    }
    expect(await Promise.all(mixed.map((t) => trajectoryHash(t)))).toEqual(alone);
  }, 300_000);

  it('names a diverged run by its place in the whole batch', async () => {
    const diverging = { ...XTANH_ADAM_DROPOUT, optimizer: { kind: 'gd' }, lr: 1e30, dropout: undefined, init: { alpha: 1, beta1: 1, beta2: 1 } };
    await expect(gpu.runBatch([{ ...PHASE_RELU, stop: { maxSteps: 50 } }, diverging])).rejects.toThrow(
      /training diverged at step \d+: .* \(run 1 of the WebGPU batch/,
    );
  });

  it('still refuses layered runs beside two-layer ones', async () => {
    const layered = {
      data: { preset: 'gauss-images', n: 8, channels: 1, size: 4, seed: 1 },
      model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 1 }] },
      optimizer: { kind: 'gd' },
      lr: 0.05,
      stop: { maxSteps: 2 },
      seed: 1,
    };
    await expect(gpu.runBatch([PHASE_RELU, layered])).rejects.toThrow(/two-layer runs or layered runs, not both/);
  });

  it('a program still holds one family, and its refusal names the field that differs', async () => {
    const specs = [PHASE_RELU, narrow].map(validateRunSpec);
    await expect(GpuBatchProgram.create(ctx, w, specs)).rejects.toThrow(/run 1 cannot share a WebGPU batch with run 0: model.width 100 ≠ 250/);
  });
});
