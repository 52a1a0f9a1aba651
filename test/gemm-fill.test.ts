// Issue #27's CPU-checkable GEMM target: in the GPU shaping, every GEMM call of the networks the bench
// trains (conv 3×3 and 5×5 steps, T3.3, resnet-digits, the anchor transformer, at the bench's batch sizes)
// launches at least GPU_FILL (264) workgroups, or runs split-K (chooseGemm); the software shaping keeps
// one direct dispatch per GEMM (the WASM order).
import { describe, it, expect } from 'vitest';
import { benchNetworks } from '../src/bench/cnn-tasks.js';
import { buildProgram } from '../src/model/program.js';
import { gpuCall } from '../src/webgpu/kernel-dispatch.js';
import { HARDWARE_SHAPING, SOFTWARE_SHAPING } from '../src/kernels/define.js';
import { GPU_FILL, splitK } from '../src/kernels/gemm.js';

const workgroups = (g: [number, number, number]) => g[0] * g[1] * g[2];

describe('GEMM dispatches of the bench networks', () => {
  /** the one GEMM no form fills: resnet-digits' head input gradient, 0.16 MFLOP with K = 10 too short to split */
  const UNFILLED: Record<string, string[]> = { resnet: ['gemm_nn 64×128×10'] };
  it.each(Object.entries(benchNetworks()))('%s: each GEMM fills a large GPU or is split', (name, s) => {
    const p = buildProgram(s.spec.model, s.spec.optimizer, s.input, s.n, Math.pow);
    const gemms = [...p.forward, ...p.backward].filter((c) => c.kernel.startsWith('gemm_'));
    expect(gemms.length).toBeGreaterThan(0);
    const unfilled = gemms.flatMap((c) => {
      const gpu = gpuCall(c, HARDWARE_SHAPING),
        { M, N, K } = c.args as Record<string, number>;
      expect(gpuCall(c, SOFTWARE_SHAPING).dispatches).toHaveLength(1);
      // split: equal slices of K as a batch, then the fold
      if (gpu.dispatches.length === 2) return gpu.dispatches[0].groups[2] === splitK(M, N, K) ? [] : [`${c.kernel} ${M}×${N}×${K} (bad split)`];
      return workgroups(gpu.dispatches[0].groups) >= GPU_FILL ? [] : [`${c.kernel} ${M}×${N}×${K}`];
    });
    expect(unfilled).toEqual(UNFILLED[name] ?? []);
  });

  it('splitK: no split when the tiles fill the GPU; equal slices of at least one k-tile otherwise', () => {
    expect(splitK(2048, 2048, 2048)).toBe(1);
    expect(splitK(16, 75, 4096)).toBe(256);
    expect(splitK(16, 75, 4093)).toBe(1); // a prime K has no equal slices
    expect(4096 % splitK(64, 64, 4096)).toBe(0);
  });
});
