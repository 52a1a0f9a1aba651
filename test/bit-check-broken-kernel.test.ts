// A deliberately broken WGSL kernel makes the bit-check fail by name: gemv_n's tree-reduced form (the
// same sums in another order) stands in for the direct form on SwiftShader, in the step variant that
// calls it every step (large blocks), and the part fails with the run and the first step whose loss
// differs. A file of its own: the kernel swap holds for the whole file.
import { describe, it, expect, vi } from 'vitest';
import { projectByName } from '../src/suite/projects.js';
import { runSuitesInNode } from '../src/runner/node-suite.js';
import type { SuiteDef } from '../src/suite/define.js';
import { PHASE_RELU } from './specs.js';

vi.mock('../src/webgpu/kernels/gemm.js', async (original) => ({
  ...(await original<typeof import('../src/webgpu/kernels/gemm.js')>()),
  gemvVariant: () => 'tiled',
}));

describe('a reduction reordered in one WGSL kernel', () => {
  it('fails the bit-check of the part, naming the run and the first differing step', async () => {
    const suite: SuiteDef = {
      id: 'broken',
      title: 'broken kernel',
      paper: '-',
      figure: '-',
      parts: () => [{ id: 'relu', runs: [{ label: 'seed=3', spec: { ...PHASE_RELU, stop: { maxSteps: 300 } } }], measures: [] }],
      claims: () => [],
    };
    process.env.CONDENSA_STEP_VARIANT = 'large-blocks';
    const { parts } = await runSuitesInNode([suite], 'ci', [projectByName('webgpu-swiftshader')], { seedOffset: 0, workers: 1 }, () => {}).finally(
      () => delete process.env.CONDENSA_STEP_VARIANT,
    );
    expect(parts.map((p) => [p.suite, p.part, p.status])).toEqual([['broken', 'relu', 'failed']]);
    expect(parts[0].error).toMatch(/^bit-check failed: run "seed=3": the loss first differs at step \d+: WASM [\d.e-]+, WebGPU [\d.e-]+$/);
    expect(parts[0].bitCheck!.runs[0].wasm).not.toBe(parts[0].bitCheck!.runs[0].webgpu);
  });
});
