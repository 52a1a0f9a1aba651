// The sweep row of the benchmark: the phase grid of SCIENCE.md §3.5 (5 × 5 (γ, γ′) × widths
// 250…2000 × 2 seeds = 200 runs, ReLU, GD, until R < 1e-5), as one timed call per engine:
// wasm-simd trains the runs one after another in this thread, wasm-simd-pool on a pool of worker
// threads (every core; when the one-thread row ran before it, every run's hash must match that row's),
// webgpu one batch of all 200 runs: its four widths (shape families) in lockstep, every width's chunk in
// one submit and every width's status in one read-back (src/webgpu/batch.ts).
import type { WasmInstance } from '../wasm/load.js';
import type { GpuContext } from '../webgpu/device.js';
import { createEngine } from '../engine/index.js';
import { openNodePool, allCores } from '../engine/node-pool.js';
import { trajectoryHash, type AnyTrajectory } from '../engine/trajectory.js';
import { phaseGridSpecs } from '../sweeps/phase-grid.js';
import type { BenchTask } from './tasks.js';

export function sweepTasks(w: WasmInstance, ctx: GpuContext | undefined, gpuDevice: string): BenchTask[] {
  const groups = phaseGridSpecs();
  const runs = groups.reduce((s, g) => s + g.specs.length, 0);
  const size = `phase grid 5×5 × m 250…2000 × 2 seeds (${runs} runs)`;
  // widest first, so that the pool does not end on one long run while the other workers wait
  const specs = [...groups].reverse().flatMap((g) => g.specs);
  let oneThread: string[] | undefined;
  const hashes = (ts: AnyTrajectory[]) => Promise.all(ts.map(trajectoryHash));
  const workers = allCores();
  const tasks: BenchTask[] = [
    {
      task: 'sweep',
      impl: 'wasm-simd',
      device: 'cpu (1 thread)',
      size,
      flops: 0,
      runsPerCall: runs,
      minIterations: 3,
      prepare: async () => {
        const engine = createEngine('wasm', w);
        return { run: async () => void (oneThread = await hashes(await engine.runBatch(specs))), dispose: () => {} };
      },
    },
    {
      task: 'sweep',
      impl: 'wasm-simd-pool',
      device: `cpu (${workers} worker threads)`,
      size,
      flops: 0,
      runsPerCall: runs,
      minIterations: 3,
      prepare: async () => {
        const pool = openNodePool(w.module, workers);
        await pool.ready(); // workers start (and compile their sources) before the clock does
        const engine = createEngine('wasm', w, undefined, pool);
        return {
          run: async () => {
            const got = await hashes(await engine.runBatch(specs));
            const differ = oneThread ? got.findIndex((h, i) => h !== oneThread![i]) : -1;
            if (differ >= 0) throw new Error(`the worker pool changed the bits of run ${differ} of the sweep`);
          },
          dispose: () => pool.close(),
        };
      },
    },
  ];
  if (ctx) {
    tasks.push({
      task: 'sweep',
      impl: 'webgpu',
      device: gpuDevice,
      size,
      flops: 0,
      runsPerCall: runs,
      minIterations: 1,
      prepare: async () => {
        const engine = createEngine('webgpu', w, ctx);
        return { run: async () => void (await engine.runBatch(specs)), dispose: () => {} };
      },
    });
  }
  return tasks;
}
