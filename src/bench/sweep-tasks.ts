// The sweep row of the benchmark: the phase grid of SCIENCE.md §3.5 (5 × 5 (γ, γ′) × widths
// 250…2000 × 2 seeds = 200 runs, ReLU, GD, until R < 1e-5), as one timed call per engine:
// wasm-simd trains the runs one after another, webgpu one batch per width, the four batches in
// flight together on the device (their submissions interleave, so one batch's read-back or tail
// does not leave the device idle).
import type { WasmInstance } from '../wasm/load.js';
import type { GpuContext } from '../webgpu/device.js';
import { createEngine } from '../engine/index.js';
import { phaseGridSpecs } from '../sweeps/phase-grid.js';
import type { BenchTask } from './tasks.js';

export function sweepTasks(w: WasmInstance, ctx: GpuContext | undefined, gpuDevice: string): BenchTask[] {
  const groups = phaseGridSpecs();
  const runs = groups.reduce((s, g) => s + g.specs.length, 0);
  const size = `phase grid 5×5 × m 250…2000 × 2 seeds (${runs} runs)`;
  const tasks: BenchTask[] = [
    {
      task: 'sweep', impl: 'wasm-simd', device: 'cpu', size, flops: 0, runsPerCall: runs, minIterations: 1,
      prepare: async () => {
        const engine = createEngine('wasm', w);
        return { run: async () => { for (const g of groups) await engine.runBatch(g.specs); }, dispose: () => {} };
      },
    },
  ];
  if (ctx) {
    tasks.push({
      task: 'sweep', impl: 'webgpu', device: gpuDevice, size, flops: 0, runsPerCall: runs, minIterations: 1,
      prepare: async () => {
        const engine = createEngine('webgpu', w, ctx);
        return { run: async () => void (await Promise.all(groups.map((g) => engine.runBatch(g.specs)))), dispose: () => {} };
      },
    });
  }
  return tasks;
}
