// The benchmark harness (not speed): ratios are computed from the right rows, and a quick run
// returns rows that carry their environment. Speed itself is measured only by `npm run bench`.
import { describe, it, expect } from 'vitest';
import { ratios, runBench, type BenchRow } from '../src/bench/run.js';

const row = (task: string, impl: string, size: string, medianMs: number, gflops = 0): BenchRow => ({ task, impl, device: 'cpu', size, medianMs, gflops, rme: 1, samples: 10 });

describe('bench harness', () => {
  it('ratios are baseline time over ours, and GEMM rates over the micro-peak', () => {
    const rs = ratios([
      row('peak', 'wasm-simd', 'x', 1, 30),
      row('gemm', 'wasm-simd', 'n=256', 1, 27),
      row('gemm', 'tfjs-wasm', 'n=256', 1.5),
      row('train-step', 'webgpu', 'm=1000', 2),
      row('train-step', 'tfjs-webgpu', 'm=1000', 10),
    ]);
    expect(rs).toEqual([
      { what: 'gemm wasm-simd vs tfjs-wasm (speed-up)', size: 'n=256', value: 1.5 },
      { what: 'gemm wasm-simd / f32x4 micro-peak', size: 'n=256', value: 0.9 },
      { what: 'train-step webgpu vs tfjs-webgpu (speed-up)', size: 'm=1000', value: 5 },
    ]);
  });

  it('a quick run gives rows with the environment they were measured in', async () => {
    const lines: string[] = [];
    const r = await runBench({ quick: true, filter: 'gemm wasm-simd n=64', webgpu: 'off', log: (l) => lines.push(l) });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ task: 'gemm', impl: 'wasm-simd', device: 'cpu', size: 'n=64' });
    expect(r.rows[0].medianMs).toBeGreaterThan(0);
    expect(r.env).toMatchObject({ runtime: 'node', cores: expect.any(Number), wasm: { simd: true, relaxedSimd: false, threads: false }, webgpu: 'off' });
    await expect(runBench({ quick: true, filter: 'no such task', webgpu: 'off', log: () => {} })).rejects.toThrow(/no benchmark task matches --filter "no such task"/);
  });
});
